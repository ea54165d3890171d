import { deadlineHeader, readDeadlineBudget } from '@events-protocol/core';
import { describeEvents } from './discovery.js';
import { servedDocumentText } from './documents/served-document.js';
import { jsonHeadResponse, jsonResponse, notFoundResponse, transportRefusalResponse } from './fetch-answers.js';
import { discardBody, readFetchBody } from './fetch-body.js';
import { FetchRequestTransport, type FetchRemoteAddressReader } from './fetch-request-transport.js';
import type { EventProcessor } from './event-processor.js';
import { EventRoutePolicy, RouteAction } from './event-route-policy.js';
import { defaultMaxBodyBytes, isJsonContentType } from './http-transport.js';
import type { ProcessEventOptions } from './processor-options.js';
import { traceCarrierFromHeaders } from './web-request-headers.js';

/**
 * Where and how the fetch handler serves the protocol. `THost` is what the host passes after the
 * request: Bun's `Server`, Deno's `ServeHandlerInfo`, a worker's `env`.
 */
export interface FetchHandlerOptions<THost = unknown> {
  /** The events route, matched literally and case-sensitively; `/events` by default. One trailing slash is served too. */
  path?: string;
  /** The largest body read, in bytes; 1 MiB by default. Larger bodies answer 413 with `badProtocol`. */
  maxBodyBytes?: number;
  /** Serve the discovery document on `GET <path>` (and `HEAD`); default `false`. */
  discovery?: boolean;
  /**
   * The peer's address, for `context.transport.remoteAddress`: a `Request` does not carry it, its
   * host does (`server.requestIP(request)?.address` on Bun, `info.remoteAddr.hostname` on Deno).
   */
  getRemoteAddress?: FetchRemoteAddressReader<THost>;
  /** Answers requests to other paths; a JSON 404 (`{"code":"NOT_FOUND","parameters":{}}`) by default. */
  fallback?: (request: Request, host: THost | undefined) => Response | Promise<Response>;
}

/** A web-standard request handler: what `Bun.serve`, `Deno.serve`, workers and Hono call. */
export type FetchHandler<THost = unknown> = (request: Request, host?: THost) => Promise<Response>;

/**
 * The protocol's route on web-standard `Request` and `Response` objects, with the node:http
 * listener's rules (one {@link EventRoutePolicy}): `POST` is processed (415 for a content type
 * that is not JSON, 413 over the body limit, the body read as a stream and never kept past the
 * limit), `GET`/`HEAD` serve discovery when it is on, other methods answer 405 with `Allow`. The
 * caller's deadline header bounds the handler, `traceparent` continues the caller's trace, and
 * handlers see the request as `context.transport`. For composing with a framework's own routes:
 * {@link FetchEventRoute.serve} returns `undefined` for other paths.
 *
 * @example
 * const events = new FetchEventRoute(processor);
 * app.use(async (c, next) => (await events.serve(c.req.raw)) ?? next()); // Hono middleware
 */
export class FetchEventRoute<THost = unknown> {
  /** The route's policy: its path, its `Allow` list, what each method gets. */
  readonly policy: EventRoutePolicy;
  readonly #processor: EventProcessor;
  readonly #maxBodyBytes: number;
  readonly #getRemoteAddress: FetchRemoteAddressReader<THost> | undefined;

  constructor(processor: EventProcessor, options: Omit<FetchHandlerOptions<THost>, 'fallback'> = {}) {
    this.#processor = processor;
    this.policy = new EventRoutePolicy(options);
    this.#maxBodyBytes = options.maxBodyBytes ?? defaultMaxBodyBytes;
    this.#getRemoteAddress = options.getRemoteAddress;
  }

  /**
   * Answers a request to the route, or returns `undefined` without touching the request when its
   * path is not the route's. The answer never rejects.
   */
  serve(request: Request, host?: THost): Promise<Response> | undefined {
    const target = requestTarget(request.url);
    if (!this.policy.matches(target)) {
      const document = this.policy.documentFor(target);
      if (document === undefined) return undefined;
      discardBody(request);
      if (request.method !== 'GET' && request.method !== 'HEAD')
        return Promise.resolve(transportRefusalResponse(405, { allow: 'GET, HEAD' }));
      const text = servedDocumentText(this.#processor.registry, document, this.policy.path);
      return Promise.resolve(request.method === 'HEAD' ? jsonHeadResponse(text) : jsonResponse(200, text));
    }
    switch (this.policy.actionFor(request.method)) {
      case RouteAction.Process:
        return this.#answer(request, target, host);
      case RouteAction.Discover: {
        const text = JSON.stringify(describeEvents(this.#processor.registry));
        return Promise.resolve(request.method === 'HEAD' ? jsonHeadResponse(text) : jsonResponse(200, text));
      }
      case RouteAction.RefuseMethod:
        discardBody(request);
        return Promise.resolve(transportRefusalResponse(405, { allow: this.policy.allow }));
    }
  }

  async #answer(request: Request, target: string, host: THost | undefined): Promise<Response> {
    const headers = request.headers;
    if (!isJsonContentType(headers.get('content-type') ?? undefined)) {
      discardBody(request);
      return transportRefusalResponse(415);
    }
    const read = await readFetchBody(request, this.#maxBodyBytes);
    if (!read.ok) return transportRefusalResponse(read.status);
    const transport = new FetchRequestTransport(request, target, host, this.#getRemoteAddress);
    const traceCarrier = traceCarrierFromHeaders(headers);
    const budget = readDeadlineBudget(headers.get(deadlineHeader) ?? undefined);
    const options: ProcessEventOptions =
      budget === undefined ? { traceCarrier, transport } : { deadline: Date.now() + budget, traceCarrier, transport };
    return jsonResponse(200, await this.#processor.processEventToJson(read.body, options));
  }
}

/**
 * The protocol as a web-standard handler, `(request) => Promise<Response>`, for Bun, Deno,
 * workers, Hono, Next.js route handlers, and any host that speaks `Request`/`Response`: the
 * {@link FetchEventRoute} on its path, `fallback` (a JSON 404) elsewhere. On Node, the node:http
 * listener (`toNodeListener`) is the fast path: it builds no `Request` or `Response` objects.
 *
 * @example
 * Bun.serve({ port: 8080, fetch: toFetchHandler(processor, { discovery: true }) });
 */
export function toFetchHandler<THost = unknown>(
  processor: EventProcessor,
  options: FetchHandlerOptions<THost> = {},
): FetchHandler<THost> {
  const route = new FetchEventRoute<THost>(processor, options);
  const fallback = options.fallback ?? notFoundResponse;
  return (request, host) => route.serve(request, host) ?? Promise.resolve(fallback(request, host));
}

/** The path and query of an absolute URL (`Request.url` always is one), without any fragment. */
function requestTarget(url: string): string {
  const authority = url.indexOf('//');
  const slash = url.indexOf('/', authority === -1 ? 0 : authority + 2);
  if (slash === -1) return '/';
  const fragment = url.indexOf('#', slash);
  return fragment === -1 ? url.slice(slash) : url.slice(slash, fragment);
}
