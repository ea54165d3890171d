import { ApiRefusal, assetAnswer, jsonAnswer, redirectAnswer } from './console-answer.js';
import { ConsoleAssets } from './console-assets.js';
import type { ConsoleContext } from './console-context.js';
import type { ConsoleRefusal, OperatorConsoleOptions, OperatorIdentity } from './console-options.js';
import { consoleSettingsOf, type ConsoleSettings } from './console-settings.js';
import { answerApi } from './api-routes.js';
import type { EndpointOfTopic } from './entry-view.js';

/** The console as a web-standard handler: mount it in any server that speaks `Request` and `Response`. */
export interface OperatorConsole {
  /** Answers a request for the page, its assets or its API; anything outside `basePath` is a 404. */
  fetch(request: Request): Promise<Response>;
  /** Where it is mounted, without a trailing slash (`''` at the root). */
  readonly basePath: string;
}

function isRefusal(value: unknown): value is ConsoleRefusal {
  return typeof value === 'object' && value !== null && 'refuse' in value;
}

function segmentsOf(path: string): string[] {
  try {
    return path
      .split('/')
      .filter((segment) => segment !== '')
      .map(decodeURIComponent);
  } catch {
    throw new ApiRefusal(400, 'BAD_REQUEST', 'the path is not valid percent-encoding');
  }
}

function endpointsOf(settings: ConsoleSettings): () => Promise<EndpointOfTopic> {
  return async () => {
    const webhooks = settings.options.webhooks;
    if (webhooks === undefined) return () => undefined;
    const byId = new Map((await webhooks.subscriptions.list()).map(({ id, targetUrl }) => [id, { id, targetUrl }]));
    return (topic) => (topic === undefined ? undefined : byId.get(topic));
  };
}

async function authorized(settings: ConsoleSettings, request: Request): Promise<OperatorIdentity | Response> {
  const verdict = await settings.options.authorize(request);
  if (
    verdict !== false &&
    !isRefusal(verdict) &&
    typeof (verdict as Partial<OperatorIdentity> | null)?.name === 'string'
  )
    return verdict;
  const status = isRefusal(verdict) ? verdict.refuse : 401;
  const challenge = isRefusal(verdict) ? verdict.challenge : undefined;
  settings.logger.warn({ method: request.method, path: new URL(request.url).pathname, status }, 'console: refused');
  return jsonAnswer(
    status,
    {
      code: status === 403 ? 'FORBIDDEN' : 'UNAUTHORIZED',
      message: status === 403 ? 'this operator may not use the console' : 'sign in to use the console',
    },
    challenge === undefined ? {} : { 'www-authenticate': challenge },
  );
}

async function answer(settings: ConsoleSettings, assets: ConsoleAssets, request: Request): Promise<Response> {
  const url = new URL(request.url);
  const { basePath } = settings;
  if (url.pathname !== basePath && !url.pathname.startsWith(`${basePath}/`)) {
    return jsonAnswer(404, { code: 'NOT_FOUND', message: 'not a path of the console' });
  }
  const operator = await authorized(settings, request);
  if (operator instanceof Response) return operator;
  const rest = url.pathname.slice(basePath.length);
  if (rest === '') return redirectAnswer(`${basePath}/${url.search}`);
  const segments = segmentsOf(rest);
  if (segments[0] !== 'api') {
    const asset = assets.get(segments.length === 0 ? 'index.html' : segments.join('/'));
    if (asset === undefined) return jsonAnswer(404, { code: 'NOT_FOUND', message: `no page '${rest}'` });
    if (request.method !== 'GET' && request.method !== 'HEAD')
      throw new ApiRefusal(405, 'METHOD_NOT_ALLOWED', 'use GET');
    const { body, contentType } = await asset;
    return assetAnswer(body, contentType);
  }
  const context: ConsoleContext = {
    request,
    query: url.searchParams,
    operator,
    pageSize: settings.pageSize,
    logger: settings.logger,
    endpointOf: endpointsOf(settings),
  };
  return answerApi(context, settings, segments.slice(1));
}

/**
 * The operator console: a page (HTML, CSS and one ES module shipped in the package) and its JSON
 * API over outboxes, webhook endpoints and topics, behind the application's own `authorize`. It
 * lists pending and undelivered entries a page at a time, shows every attempt, and redelivers or
 * purges one entry or a selection; it disables, enables and rotates endpoints. Every action needs
 * a confirmation and is logged with the operator; no secret is ever shown.
 *
 * @example
 * const operatorConsole = createOperatorConsole({
 *   basePath: '/ops',
 *   authorize: (request) => (request.headers.get('authorization') === `Bearer ${token}` ? { name: 'ops' } : false),
 *   outboxes: { topics: publisher.outbox },
 *   webhooks: { subscriptions, dispatcher },
 * });
 * Bun.serve({ fetch: (request) => operatorConsole.fetch(request) });
 * @throws {ConsoleError} `INVALID_OPTIONS` without `authorize`, or with unusable options.
 */
export function createOperatorConsole(options: OperatorConsoleOptions): OperatorConsole {
  const settings = consoleSettingsOf(options);
  const assets = new ConsoleAssets();
  return {
    basePath: settings.basePath,
    async fetch(request: Request): Promise<Response> {
      try {
        return await answer(settings, assets, request);
      } catch (error) {
        if (error instanceof ApiRefusal) return error.answer();
        settings.logger.error({ err: error, path: new URL(request.url).pathname }, 'console: request failed');
        return jsonAnswer(500, { code: 'INTERNAL_ERROR', message: 'the console could not answer; see the log' });
      }
    },
  };
}
