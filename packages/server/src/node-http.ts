import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { EventProcessor } from './event-processor.js';
import { writeJsonText } from './http-transport.js';
import { EventRoute } from './route-policy.js';
import { applyServerLimits, resolveServerLimits, type ServerLimits } from './server-limits.js';

/** Where and how the node:http adapter serves the protocol. */
export interface NodeListenerOptions {
  /** The events route, matched case-sensitively; `/events` by default. The same path with a trailing slash is served too. */
  path?: string;
  /** The largest body read, in bytes; 1 MiB by default. Larger bodies answer 413 with `badProtocol`. */
  maxBodyBytes?: number;
  /** Serve the discovery document on `GET <path>` (and `HEAD`); default `false`. */
  discovery?: boolean;
  /** Called for requests to other paths; a JSON 404 by default. */
  fallback?: RequestListener;
}

function notFound(_request: IncomingMessage, response: ServerResponse): void {
  writeJsonText(response, 404, '{"code":"NOT_FOUND","parameters":{}}');
}

/**
 * The protocol as a plain `node:http` request listener: `POST /events` answers HTTP 200 with the
 * response event; nothing of Express is loaded. {@link createEventServer} gives it a server with
 * slow-client limits; on a server of your own, apply them with `applyServerLimits`.
 *
 * @example
 * applyServerLimits(http.createServer(toNodeListener(processor))).listen(8080);
 */
export function toNodeListener(processor: EventProcessor, options: NodeListenerOptions = {}): RequestListener {
  const route = new EventRoute({ processor, ...options });
  const fallback = options.fallback ?? notFound;
  return (request, response) => {
    if (!route.serve(request, response)) fallback(request, response);
  };
}

/**
 * Server timeouts that bound slow clients: how long headers, a whole request and an idle
 * keep-alive may take, and the listen backlog (see {@link ServerLimits}).
 */
export type EventServerTimeouts = ServerLimits;

/**
 * A `node:http` server for the protocol, bounded against slow clients and connection bursts by
 * {@link applyServerLimits}: headers within 10 s, the whole request within 30 s (each enforced
 * within 1 s), idle keep-alive 5 s, a backlog of 2048, unless told otherwise.
 *
 * @example
 * const server = createEventServer(processor, { discovery: true });
 * server.listen(8080);
 * @throws {ServerError} `INVALID_OPTIONS` for limits that cannot hold.
 */
export function createEventServer(processor: EventProcessor, options: NodeListenerOptions & ServerLimits = {}): Server {
  const limits = resolveServerLimits(options);
  const server = createServer(
    { headersTimeout: limits.headersTimeoutMs, requestTimeout: limits.requestTimeoutMs },
    toNodeListener(processor, options),
  );
  return applyServerLimits(server, limits);
}
