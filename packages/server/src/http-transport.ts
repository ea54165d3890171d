import { EventBuilder, writeJson } from '@events-protocol/core';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The default largest request body an adapter reads: 1 MiB. */
export const defaultMaxBodyBytes = 1024 * 1024;

const jsonContentType = 'application/json; charset=utf-8';

/** What reading a request body gives: its bytes, or why it was refused. */
export type EventBodyReadResult =
  { readonly ok: true; readonly body: Buffer } | { readonly ok: false; readonly status: 413 | 400 };

/**
 * Whether a request's content type may carry an event: JSON (`application/json`, any `+json`
 * type) or none at all. Others (forms, text, multipart) are refused with a protocol answer.
 */
export function isJsonContentType(header: string | undefined): boolean {
  // What clients send nearly always, decided without lower-casing a copy.
  if (header === undefined || header === '' || header === 'application/json') return true;
  const semicolon = header.indexOf(';');
  const type = (semicolon === -1 ? header : header.slice(0, semicolon)).trim().toLowerCase();
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

/**
 * Reads a request body up to `maxBytes`, refusing larger ones early (by `content-length`) or as
 * soon as the limit is passed, without buffering the excess.
 */
export function readEventBody(request: IncomingMessage, maxBytes: number): Promise<EventBodyReadResult> {
  return new Promise((resolve) => {
    readEventBodyThen(request, maxBytes, resolve);
  });
}

/** {@link readEventBody} with a callback, called exactly once: the adapters' promise-free path. */
export function readEventBodyThen(
  request: IncomingMessage,
  maxBytes: number,
  onRead: (result: EventBodyReadResult) => void,
): void {
  const declared = Number(request.headers['content-length']);
  if (declared > maxBytes) {
    request.resume();
    onRead({ ok: false, status: 413 });
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let settled = false;
  const settle = (result: EventBodyReadResult): void => {
    if (settled) return;
    settled = true;
    onRead(result);
  };
  const onData = (chunk: Buffer): void => {
    size += chunk.length;
    if (size > maxBytes) {
      request.off('data', onData);
      request.resume();
      settle({ ok: false, status: 413 });
      return;
    }
    chunks.push(chunk);
  };
  // `on` rather than `once`: `settle` already answers once, and `once` wraps each listener anew.
  request.on('data', onData);
  request.on('end', () =>
    settle({ ok: true, body: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size) }),
  );
  request.on('error', () => settle({ ok: false, status: 400 }));
}

/** Writes a JSON text answer with its length. */
export function writeJsonText(
  response: ServerResponse,
  status: number,
  text: string,
  headers?: Record<string, string>,
): void {
  const length = Buffer.byteLength(text);
  response.writeHead(
    status,
    headers === undefined
      ? { 'content-type': jsonContentType, 'content-length': length }
      : { ...headers, 'content-type': jsonContentType, 'content-length': length },
  );
  response.end(text);
}

/**
 * Answers a request the transport refused before any event was processed (too large, not JSON):
 * the status says the transport failed, the body is still a `badProtocol` event.
 */
export function writeTransportRefusal(
  response: ServerResponse,
  status: number,
  headers?: Record<string, string>,
): void {
  writeJsonText(response, status, writeJson(EventBuilder.badProtocol({})), headers);
}
