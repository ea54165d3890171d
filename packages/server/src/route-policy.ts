import type { IncomingMessage, ServerResponse } from 'node:http';
import { answerEventRequest, writeAnswer } from './answer-event-request.js';
import { describeEvents } from './discovery.js';
import { servedDocumentText } from './documents/served-document.js';
import type { EventProcessor } from './event-processor.js';
import { EventRoutePolicy, RouteAction } from './event-route-policy.js';
import { defaultMaxBodyBytes, writeJsonText, writeTransportRefusal } from './http-transport.js';
import type { RemoteAddressReader } from './node-request-transport.js';

/** What {@link EventRoute} serves, and where. */
export interface EventRouteOptions {
  /** Processes the events posted to the route. */
  processor: EventProcessor;
  /** The route, matched literally and case-sensitively; `/events` by default. One trailing slash is served too. */
  path?: string;
  /** The largest body read, in bytes; 1 MiB by default. Larger bodies answer 413 with `badProtocol`. */
  maxBodyBytes?: number;
  /** Serve the discovery document on `GET` and `HEAD` of the route (default `false`). */
  discovery?: boolean;
  /** Where handlers' `context.transport.remoteAddress` comes from; the socket's peer by default. */
  getRemoteAddress?: RemoteAddressReader;
}

/**
 * The HTTP edge every node:http-based adapter shares, so that all answer alike: which paths are the route, and what
 * each method gets there. `POST` is processed (415 for a content type that is not JSON, 413 over
 * the body limit); `GET` and `HEAD` serve discovery when it is on, and then `<path>/asyncapi.json`
 * and `<path>/openapi.json` too; any other method answers 405 with `Allow`. A path that is not the route is left to the host: node:http's fallback (a JSON 404
 * by default), or the next handler of a framework. The decisions are {@link EventRoutePolicy}'s,
 * which the fetch handler asks too.
 *
 * @example
 * const route = new EventRoute({ processor, discovery: true });
 * const listener: RequestListener = (request, response) => {
 *   if (!route.serve(request, response)) notFound(request, response);
 * };
 */
export class EventRoute {
  /** The route without its trailing slash (`''` for the root). */
  readonly path: string;
  /** The methods the route answers, as the `Allow` header of a 405 lists them. */
  readonly allow: string;
  readonly #processor: EventProcessor;
  readonly #policy: EventRoutePolicy;
  readonly #maxBodyBytes: number;
  readonly #remoteAddress: RemoteAddressReader | undefined;

  constructor(options: EventRouteOptions) {
    this.#processor = options.processor;
    this.#policy = new EventRoutePolicy(options);
    this.path = this.#policy.path;
    this.allow = this.#policy.allow;
    this.#maxBodyBytes = options.maxBodyBytes ?? defaultMaxBodyBytes;
    this.#remoteAddress = options.getRemoteAddress;
  }

  /** Whether a request target (a path with an optional query) is this route. */
  matches(url: string): boolean {
    return this.#policy.matches(url);
  }

  /**
   * Answers a request to the route and returns `true`, or returns `false` without touching the
   * request when its path is not the route's. `parsedBody` is a body a framework's parser already
   * read (Express's `req.body`); without it the body is read from the request.
   */
  serve(request: IncomingMessage, response: ServerResponse, parsedBody?: unknown): boolean {
    if (!this.#policy.matches(request.url ?? '/')) {
      const document = this.#policy.documentFor(request.url ?? '/');
      if (document === undefined) return false;
      request.resume();
      if (request.method === 'GET' || request.method === 'HEAD') {
        writeJsonText(response, 200, servedDocumentText(this.#processor.registry, document, this.path));
      } else writeTransportRefusal(response, 405, { allow: 'GET, HEAD' });
      return true;
    }
    switch (this.#policy.actionFor(request.method)) {
      case RouteAction.Process:
        if (parsedBody === undefined) {
          answerEventRequest(this.#processor, request, response, this.#maxBodyBytes, this.#remoteAddress);
        } else writeAnswer(this.#processor, request, parsedBody, response, this.#remoteAddress);
        break;
      case RouteAction.Discover:
        // node:http leaves out the body of an answer to HEAD and keeps its headers.
        writeJsonText(response, 200, JSON.stringify(describeEvents(this.#processor.registry)));
        break;
      case RouteAction.RefuseMethod:
        request.resume();
        writeTransportRefusal(response, 405, { allow: this.allow });
        break;
    }
    return true;
  }
}
