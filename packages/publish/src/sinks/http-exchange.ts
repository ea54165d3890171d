import type { Dispatcher } from 'undici';
import { maxExcerptBytes, responseExcerpt } from '../response-excerpt.js';

/** What one HTTP exchange gave: the answer's status and headers and the start of its body. */
export interface HttpAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The body's first {@link maxExcerptBytes} bytes as text, never a split character. */
  readonly excerpt: string;
  /** The body was not read to its end: larger than the limit, or cut while it was read. */
  readonly truncated: boolean;
}

/** One request of {@link exchange}. */
export interface HttpExchangeRequest {
  readonly url: URL;
  readonly method: 'POST' | 'HEAD' | 'GET';
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly responseMs: number;
  /** The most body bytes read; past it the read stops and the connection is closed. */
  readonly maxResponseBytes: number;
  readonly signal?: AbortSignal | undefined;
}

/**
 * Sends one request and reads at most `maxResponseBytes` of the answer: the excerpt is kept, the
 * rest is counted and dropped, and past the limit the body is destroyed (the connection closes)
 * rather than read on.
 *
 * @throws what the dispatcher throws (connect, headers, body, abort).
 */
export async function exchange(dispatcher: Dispatcher, request: HttpExchangeRequest): Promise<HttpAnswer> {
  const options: Dispatcher.RequestOptions = {
    origin: request.url.origin,
    path: `${request.url.pathname}${request.url.search}`,
    method: request.method,
    headersTimeout: request.responseMs,
    bodyTimeout: request.responseMs,
  };
  if (request.headers !== undefined) options.headers = request.headers;
  if (request.body !== undefined) options.body = request.body;
  if (request.signal !== undefined) options.signal = request.signal;
  const response = await dispatcher.request(options);
  const kept: Buffer[] = [];
  let keptBytes = 0;
  let readBytes = 0;
  let truncated = Number(response.headers['content-length'] ?? 0) > request.maxResponseBytes;
  try {
    if (!truncated) {
      for await (const chunk of response.body as AsyncIterable<Buffer>) {
        readBytes += chunk.length;
        if (keptBytes <= maxExcerptBytes) {
          kept.push(chunk);
          keptBytes += chunk.length;
        }
        if (readBytes > request.maxResponseBytes) {
          truncated = true;
          break;
        }
      }
    }
  } finally {
    if (truncated) response.body.destroy();
  }
  return {
    status: response.statusCode,
    headers: response.headers,
    excerpt: responseExcerpt(Buffer.concat(kept)),
    truncated,
  };
}

/**
 * How long a `Retry-After` header asks callers to wait, in ms from `now`: delta-seconds (`120`)
 * or an HTTP-date (0 when it is past). `undefined` when absent or unreadable.
 */
export function retryAfterMsOf(header: string | string[] | undefined, now: number): number | undefined {
  const text = (Array.isArray(header) ? header[0] : header)?.trim();
  if (text === undefined || text === '') return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/^[A-Za-z]{3}, /.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
