import { deadlineHeader, readDeadlineBudget } from '@events-protocol/core';
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { describeEvents } from './discovery.js';
import { answerAsJson, type EventProcessor } from './event-processor.js';
import {
  defaultMaxBodyBytes,
  isJsonContentType,
  readEventBodyThen,
  writeJsonText,
  writeTransportRefusal,
} from './http-transport.js';
import { applyServerLimits, resolveServerLimits, type ServerLimits } from './server-limits.js';

/** Where and how the node:http adapter serves the protocol. */
export interface NodeListenerOptions {
  /** The events route; `/events` by default. The same path with a trailing slash is served too. */
  path?: string;
  /** The largest body read, in bytes; 1 MiB by default. Larger bodies answer 413 with `badProtocol`. */
  maxBodyBytes?: number;
  /** Serve the discovery document on `GET <path>` (default `false`). */
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
  const path = (options.path ?? '/events').replace(/\/+$/, '');
  const pathWithSlash = `${path}/`;
  const maxBodyBytes = options.maxBodyBytes ?? defaultMaxBodyBytes;
  const discovery = options.discovery ?? false;
  const fallback = options.fallback ?? notFound;
  const allow = discovery ? 'POST, GET' : 'POST';

  return (request, response) => {
    const url = request.url ?? '/';
    const query = url.indexOf('?');
    const requestPath = query === -1 ? url : url.slice(0, query);
    if (requestPath !== path && requestPath !== pathWithSlash) {
      fallback(request, response);
      return;
    }
    if (request.method === 'POST') {
      answerEventRequest(processor, request, response, maxBodyBytes);
    } else if (request.method === 'GET' && discovery) {
      writeJsonText(response, 200, JSON.stringify(describeEvents(processor.registry)));
    } else {
      request.resume();
      writeTransportRefusal(response, 405, { allow });
    }
  };
}

/**
 * Answers one `POST` of the protocol on any node:http-based framework: checks the content type,
 * reads the body within the limit, processes it and writes the response event. Never throws; the
 * answer is written when the handler settles.
 */
export function answerEventRequest(
  processor: EventProcessor,
  request: IncomingMessage,
  response: ServerResponse,
  maxBodyBytes: number = defaultMaxBodyBytes,
): void {
  if (!isJsonContentType(request.headers['content-type'])) {
    request.resume();
    writeTransportRefusal(response, 415);
    return;
  }
  readEventBodyThen(request, maxBodyBytes, (read) => {
    if (!read.ok) {
      // The rest of an oversized body is not read: close the connection after answering.
      writeTransportRefusal(response, read.status, { connection: 'close' });
      return;
    }
    writeAnswer(processor, request, read.body, response);
  });
}

/**
 * Processes a request's body (bytes, or a value a body parser made of them) and writes its answer
 * with HTTP 200. The caller's remaining time, from the `x-events-deadline-ms` header, bounds the
 * handler.
 */
export function writeAnswer(
  processor: EventProcessor,
  request: IncomingMessage,
  body: unknown,
  response: ServerResponse,
): void {
  const budget = readDeadlineBudget(request.headers[deadlineHeader]);
  const text = processor[answerAsJson](
    body,
    budget === undefined
      ? { traceCarrier: request.headers }
      : { deadline: Date.now() + budget, traceCarrier: request.headers },
  );
  if (typeof text === 'string') writeJsonText(response, 200, text);
  else void text.then((settled) => writeJsonText(response, 200, settled));
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
