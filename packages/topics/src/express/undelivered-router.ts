import type { Outbox, RedeliverSelection, StoredEntry, UndeliveredFilter } from '@events-protocol/outbox';
import { writeJson } from '@events-protocol/core';
import express, { Router, type NextFunction, type Request, type Response } from 'express';

/** How {@link undeliveredRouter} serves the undelivered-events view. */
export interface UndeliveredRouterOptions {
  outbox: Outbox;
  /** Decides whether a request may see and act on undelivered events (a token check, typically). */
  authorize: (request: Request) => boolean | Promise<boolean>;
  /** Where the view is served; `/outbox/undelivered` by default. */
  path?: string;
  /** Where the pending events are listed; `/outbox/pending` by default. */
  pendingPath?: string;
}

class BadRequest extends Error {}

function readDate(name: string, value: unknown): Date | undefined {
  if (value === undefined) return undefined;
  const date = typeof value === 'string' ? new Date(value) : new Date(Number.NaN);
  if (Number.isNaN(date.getTime())) throw new BadRequest(`${name} must be an ISO 8601 date`);
  return date;
}

function readFilter(source: Record<string, unknown>): UndeliveredFilter {
  const { topic } = source;
  if (topic !== undefined && (typeof topic !== 'string' || topic === ''))
    throw new BadRequest('topic must be a non-empty string');
  const since = readDate('since', source['since']);
  const until = readDate('until', source['until']);
  return {
    ...(topic === undefined ? {} : { topic }),
    ...(since === undefined ? {} : { since }),
    ...(until === undefined ? {} : { until }),
  };
}

function readSelection(body: unknown): RedeliverSelection {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new BadRequest(
      'the body must be { "ids": [...] }, a filter { "topic", "since", "until" }, or { "all": true }',
    );
  }
  const fields = body as Record<string, unknown>;
  if (fields['ids'] !== undefined) {
    const ids = fields['ids'];
    if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id) => typeof id === 'string')) {
      throw new BadRequest('ids must be a non-empty array of event ids');
    }
    return { ids: ids };
  }
  const filter = readFilter(fields);
  if (Object.keys(filter).length === 0 && fields['all'] !== true) {
    throw new BadRequest('select events by ids or a filter, or say { "all": true }');
  }
  return filter;
}

/** An entry as JSON: its dates as ISO-8601 strings, every kept attempt with it. */
function view(entry: StoredEntry): unknown {
  return Object.fromEntries(
    Object.entries(entry).map(([key, value]) => [key, value instanceof Date ? value.toISOString() : value]),
  );
}

function readPage(query: Record<string, unknown>): { limit?: number; cursor?: string } {
  const limit = query['limit'] === undefined ? undefined : Number(query['limit']);
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1 && limit <= 1000)) {
    throw new BadRequest('limit must be an integer from 1 to 1000');
  }
  const cursor = typeof query['cursor'] === 'string' ? query['cursor'] : undefined;
  return { ...(limit === undefined ? {} : { limit }), ...(cursor === undefined ? {} : { cursor }) };
}

/** Sends JSON with 64-bit integers in payloads kept exact. */
function sendJson(response: Response, status: number, body: unknown): void {
  response.status(status).type('application/json').send(writeJson(body));
}

/**
 * An Express 5 router over an outbox's undelivered and pending events, for operators: behind
 * `authorize` (401 otherwise), with JSON errors `{ code, message }`. Every attempt is shown with
 * its status, duration, answer excerpt and error, whatever the target.
 *
 * - `GET /outbox/pending?topic=&limit=&cursor=`: pending events (due, retrying, claimed), oldest first
 * - `GET /outbox/pending/:id`: one event in any state with its attempts (404 when unknown)
 * - `GET /outbox/undelivered?topic=&since=&until=&limit=&cursor=`: a page, oldest first, with `nextCursor`
 * - `GET /outbox/undelivered/:id`: one event, its payload, attributes and every attempt's error (404 when unknown)
 * - `POST /outbox/undelivered/:id/redeliver`, `DELETE /outbox/undelivered/:id`: one event
 * - `POST /outbox/undelivered/redeliver`, `POST /outbox/undelivered/delete` with `{ ids }`, a filter, or `{ all: true }`: `{ count }`
 */
export function undeliveredRouter(options: UndeliveredRouterOptions): Router {
  const path = options.path ?? '/outbox/undelivered';
  const pendingPath = options.pendingPath ?? '/outbox/pending';
  const { outbox } = options;
  const router = Router();

  router.use([path, pendingPath], async (request: Request, response: Response, next: NextFunction) => {
    if (await options.authorize(request)) {
      next();
      return;
    }
    sendJson(response, 401, { code: 'UNAUTHORIZED', message: 'this request may not see the outbox' });
  });
  router.use(path, express.json({ limit: '256kb' }));

  router.get(pendingPath, async (request: Request, response: Response) => {
    const query = request.query as Record<string, unknown>;
    const { topic } = readFilter({ topic: query['topic'] });
    const page = await outbox.listPending({ ...readPage(query), ...(topic === undefined ? {} : { topic }) });
    sendJson(response, 200, { events: page.events.map(view), nextCursor: page.nextCursor ?? null });
  });
  router.get(`${pendingPath}/:id`, async (request: Request<{ id: string }>, response: Response) => {
    const entry = await outbox.getEntry(request.params.id);
    if (entry === undefined) notFound(response, request.params.id, 'event');
    else sendJson(response, 200, view(entry));
  });
  router.get(path, async (request: Request, response: Response) => {
    const query = request.query as Record<string, unknown>;
    const page = await outbox.listUndelivered({ ...readFilter(query), ...readPage(query) });
    sendJson(response, 200, { events: page.events.map(view), nextCursor: page.nextCursor ?? null });
  });
  router.post(`${path}/redeliver`, async (request: Request, response: Response) => {
    sendJson(response, 200, { count: await outbox.redeliver(readSelection(request.body)) });
  });
  router.post(`${path}/delete`, async (request: Request, response: Response) => {
    sendJson(response, 200, { count: await outbox.deleteUndelivered(readSelection(request.body)) });
  });
  router.get(`${path}/:id`, async (request: Request<{ id: string }>, response: Response) => {
    const event = await outbox.getUndelivered(request.params.id);
    if (event === undefined) notFound(response, request.params.id);
    else sendJson(response, 200, view(event));
  });
  router.post(`${path}/:id/redeliver`, async (request: Request<{ id: string }>, response: Response) => {
    if ((await outbox.redeliver({ ids: [request.params.id] })) === 0) notFound(response, request.params.id);
    else sendJson(response, 200, { count: 1 });
  });
  router.delete(`${path}/:id`, async (request: Request<{ id: string }>, response: Response) => {
    if ((await outbox.deleteUndelivered({ ids: [request.params.id] })) === 0) notFound(response, request.params.id);
    else response.status(204).end();
  });

  router.use([path, pendingPath], (error: unknown, _request: Request, response: Response, next: NextFunction) => {
    if (response.headersSent) {
      next(error);
      return;
    }
    if (error instanceof BadRequest) {
      sendJson(response, 400, { code: 'BAD_REQUEST', message: error.message });
      return;
    }
    const type = (error as { type?: unknown } | null)?.type;
    if (type === 'entity.parse.failed') {
      sendJson(response, 400, { code: 'INVALID_JSON', message: 'the body is not valid JSON' });
      return;
    }
    if (type === 'entity.too.large') {
      sendJson(response, 413, { code: 'BODY_TOO_LARGE', message: 'the body is larger than the limit' });
      return;
    }
    next(error);
  });
  return router;
}

function notFound(response: Response, id: string, what = 'undelivered event'): void {
  sendJson(response, 404, { code: 'NOT_FOUND', message: `no ${what} '${id}'` });
}
