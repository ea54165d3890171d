import { deadlineHeader, readDeadlineBudget } from '@events-protocol/core';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { answerAsJson, type EventProcessor } from './event-processor.js';
import {
  defaultMaxBodyBytes,
  isJsonContentType,
  readEventBodyThen,
  writeJsonText,
  writeTransportRefusal,
} from './http-transport.js';
import { NodeRequestTransport, type RemoteAddressReader } from './node-request-transport.js';

/**
 * Answers one `POST` of the protocol on any node:http-based framework: checks the content type,
 * reads the body within the limit, processes it and writes the response event. Never throws; the
 * answer is written when the handler settles. Handlers see the request's headers, method, target
 * and client address as `context.transport` (the address from `readRemoteAddress` when given).
 */
export function answerEventRequest(
  processor: EventProcessor,
  request: IncomingMessage,
  response: ServerResponse,
  maxBodyBytes: number = defaultMaxBodyBytes,
  readRemoteAddress?: RemoteAddressReader,
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
    writeAnswer(processor, request, read.body, response, readRemoteAddress);
  });
}

/**
 * Processes a request's body (bytes, or a value a body parser made of them) and writes its answer
 * with HTTP 200. The caller's remaining time, from the `x-events-deadline-ms` header, bounds the
 * handler; the request reaches handlers as `context.transport`, never as part of the event.
 */
export function writeAnswer(
  processor: EventProcessor,
  request: IncomingMessage,
  body: unknown,
  response: ServerResponse,
  readRemoteAddress?: RemoteAddressReader,
): void {
  const budget = readDeadlineBudget(request.headers[deadlineHeader]);
  const transport = new NodeRequestTransport(request, readRemoteAddress);
  const text = processor[answerAsJson](
    body,
    budget === undefined
      ? { traceCarrier: request.headers, transport }
      : { deadline: Date.now() + budget, traceCarrier: request.headers, transport },
  );
  if (typeof text === 'string') writeJsonText(response, 200, text);
  else void text.then((settled) => writeJsonText(response, 200, settled));
}
