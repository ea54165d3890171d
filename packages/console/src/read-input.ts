import type { PageOptions, RedeliverSelection, UndeliveredFilter } from '@events-protocol/outbox';
import { ApiRefusal, badRequest } from './console-answer.js';

/** The most entries one page, or one action on a selection, may hold. */
export const maxPageSize = 500;

/** The largest JSON body an action may send. */
const maxBodyBytes = 64 * 1024;

/** A page request from `?limit=&cursor=`: `pageSize` entries when no limit is named. */
export function readPage(query: URLSearchParams, pageSize: number): Required<Pick<PageOptions, 'limit'>> & PageOptions {
  const limitText = query.get('limit');
  const limit = limitText === null ? pageSize : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > maxPageSize) {
    throw badRequest(`limit must be an integer from 1 to ${maxPageSize}, got '${limitText ?? ''}'`);
  }
  const cursor = query.get('cursor');
  return cursor === null || cursor === '' ? { limit } : { limit, cursor };
}

function readDate(name: string, value: unknown): Date | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const date = typeof value === 'string' ? new Date(value) : new Date(Number.NaN);
  if (Number.isNaN(date.getTime())) throw badRequest(`${name} must be an ISO-8601 date`);
  return date;
}

/** A filter of undelivered entries from `topic`, `since` and `until` (query parameters or body fields). */
export function readFilter(read: (name: string) => unknown): UndeliveredFilter {
  const topic = read('topic');
  if (topic !== undefined && topic !== null && (typeof topic !== 'string' || topic === '')) {
    throw badRequest('topic must be a non-empty string');
  }
  const since = readDate('since', read('since'));
  const until = readDate('until', read('until'));
  return {
    ...(typeof topic === 'string' ? { topic } : {}),
    ...(since === undefined ? {} : { since }),
    ...(until === undefined ? {} : { until }),
  };
}

/** The filter of a list request's query string. */
export function queryFilter(query: URLSearchParams): UndeliveredFilter {
  return readFilter((name) => query.get(name) ?? undefined);
}

/**
 * The JSON object an action posts. Refuses (CSRF) a request without the `x-events-console: 1`
 * header or without `content-type: application/json`: neither a cross-site form nor a simple
 * cross-site fetch can send them.
 */
export async function readActionBody(request: Request): Promise<Record<string, unknown>> {
  if (request.headers.get('x-events-console') !== '1') {
    throw new ApiRefusal(403, 'CONSOLE_HEADER_MISSING', 'actions need the header x-events-console: 1');
  }
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new ApiRefusal(415, 'UNSUPPORTED_MEDIA_TYPE', 'actions take a JSON body (content-type: application/json)');
  }
  const text = await request.text();
  if (new TextEncoder().encode(text).byteLength > maxBodyBytes) {
    throw new ApiRefusal(413, 'BODY_TOO_LARGE', `the body is larger than ${maxBodyBytes} bytes`);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiRefusal(400, 'INVALID_JSON', 'the body is not valid JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw badRequest('the body must be a JSON object');
  return body as Record<string, unknown>;
}

/** What an action on entries applies to, and the confirmation it must carry. */
export interface EntrySelection {
  readonly selection: RedeliverSelection;
  /** What the log records: the ids, or the filter. */
  readonly described: { ids: readonly string[] } | { filter: Record<string, string> };
}

/**
 * The selection of a redeliver or purge: `{ ids: [...], confirm: <how many ids> }`, or
 * `{ filter: { topic?, since?, until? }, confirm: "all" }`. The confirmation echoes what the
 * operator was shown; an action without it, or with another, is refused.
 */
export function readEntrySelection(body: Record<string, unknown>): EntrySelection {
  const { ids, filter, confirm } = body;
  if (ids !== undefined) {
    if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id) => typeof id === 'string' && id !== '')) {
      throw badRequest('ids must be a non-empty array of entry ids');
    }
    if (ids.length > maxPageSize) throw badRequest(`at most ${maxPageSize} ids per action, got ${ids.length}`);
    const unique = [...new Set(ids as string[])];
    if (confirm !== unique.length) {
      throw new ApiRefusal(
        400,
        'CONFIRMATION_REQUIRED',
        `confirm with the number of entries selected (${unique.length})`,
      );
    }
    return { selection: { ids: unique }, described: { ids: unique } };
  }
  if (typeof filter !== 'object' || filter === null || Array.isArray(filter)) {
    throw badRequest('select entries with ids: [...] or a filter: { topic, since, until }');
  }
  const fields = filter as Record<string, unknown>;
  const parsed = readFilter((name) => fields[name]);
  if (confirm !== 'all') {
    throw new ApiRefusal(400, 'CONFIRMATION_REQUIRED', 'confirm an action on a filter with confirm: "all"');
  }
  const described = Object.fromEntries(
    Object.entries(parsed).map(([key, value]) => [key, value instanceof Date ? value.toISOString() : String(value)]),
  );
  return { selection: parsed, described: { filter: described } };
}
