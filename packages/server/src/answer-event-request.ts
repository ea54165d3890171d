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
