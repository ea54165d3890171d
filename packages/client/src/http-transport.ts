import type { Dispatcher } from 'undici';
import type { EventTransport, TransportAnswer, TransportRequest } from './event-transport.js';
import { HttpEgress, type EgressResponse } from './egress/index.js';
import { defaultMaxAnswerBytes } from './max-answer-bytes.js';

export { defaultMaxAnswerBytes } from './max-answer-bytes.js';

/** How the HTTP transport connects. */
export interface HttpTransportOptions {
  /** Use this undici dispatcher (it is not closed by the client). */
  readonly dispatcher?: Dispatcher | undefined;
  /** Keep-alive sockets per origin; 128 by default. */
  readonly connections?: number | undefined;
  /** ms to get a connection. */
  readonly connectMs: number;
  /** ms from the connection to the end of the answer. */
  readonly responseMs: number;
  /** The largest answer read, in bytes; {@link defaultMaxAnswerBytes} by default. */
  readonly maxResponseBytes?: number | undefined;
}

function answerOf(response: EgressResponse): TransportAnswer {
  return response.retryAfterMs === undefined
    ? { status: response.status, body: response.text }
    : { status: response.status, body: response.text, retryAfterMs: response.retryAfterMs };
}

/**
 * POSTs events through the HTTP egress: a keep-alive pool per origin, precise connect and
 * response timeouts capped by what is left of the call, and one timer per attempt. No
 * `AbortSignal` is attached unless the caller gave one (signals cost undici a quarter of its
 * throughput). Failures reject with the egress's `EgressError` (code and phase).
 */
export class HttpTransport implements EventTransport {
  readonly #egress: HttpEgress;
  readonly #url: URL;

  constructor(url: string, options: HttpTransportOptions) {
    this.#url = new URL(url);
    this.#egress = new HttpEgress({
      dispatcher: options.dispatcher,
      connections: options.connections,
      timeouts: { connectMs: options.connectMs, responseMs: options.responseMs },
      maxResponseBytes: options.maxResponseBytes ?? defaultMaxAnswerBytes,
    });
  }

  /** One attempt, within its phases' timeouts and the time left of the call. */
  send(request: TransportRequest): Promise<TransportAnswer> {
    return this.#egress
      .send({
        url: this.#url,
        method: 'POST',
        headers: request.headers,
        body: request.body,
        totalMs: Math.max(1, request.timeoutMs),
        signal: request.signal,
      })
      .then(answerOf);
  }

  async close(): Promise<void> {
    await this.#egress.close();
  }
}
