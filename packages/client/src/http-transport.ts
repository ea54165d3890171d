import { Agent, type Dispatcher } from 'undici';
import {
  TransportTimeoutError,
  type EventTransport,
  type TransportAnswer,
  type TransportRequest,
} from './event-transport.js';

/** How the HTTP transport connects. */
export interface HttpTransportOptions {
  /** Use this undici dispatcher (it is not closed by the client). */
  dispatcher?: Dispatcher | undefined;
  /** Keep-alive sockets per origin; 128 by default. */
  connections?: number | undefined;
  /** ms to establish a connection. */
  connectTimeoutMs: number;
  /** ms to wait for the answer's headers, and between chunks of its body. */
  responseTimeoutMs: number;
  /** The largest answer read, in bytes (16 MiB by default). */
  maxResponseBytes?: number | undefined;
}

const defaultMaxResponseBytes = 16 * 1024 * 1024;
// undici's timers tick every half second or so: its timeouts only clean up after ours.
const cleanupSlackMs = 1000;

/** Thrown when an answer is larger than `maxResponseBytes`. */
export class ResponseTooLargeError extends Error {
  override readonly name = 'ResponseTooLargeError';
}

/**
 * POSTs events with undici over a keep-alive pool per origin. A call costs one timer and no
 * `AbortSignal` unless the caller passes one (signals cost undici a quarter of its throughput).
 */
export class HttpTransport implements EventTransport {
  readonly #dispatcher: Dispatcher;
  readonly #ownsDispatcher: boolean;
  readonly #origin: string;
  readonly #path: string;
  readonly #responseTimeoutMs: number;
  readonly #maxResponseBytes: number;

  constructor(url: string, options: HttpTransportOptions) {
    const parsed = new URL(url);
    this.#origin = parsed.origin;
    this.#path = `${parsed.pathname}${parsed.search}`;
    this.#responseTimeoutMs = options.responseTimeoutMs;
    this.#maxResponseBytes = options.maxResponseBytes ?? defaultMaxResponseBytes;
    this.#ownsDispatcher = options.dispatcher === undefined;
    this.#dispatcher =
      options.dispatcher ??
      new Agent({ connections: options.connections ?? 128, connect: { timeout: options.connectTimeoutMs } });
  }

  /**
   * One attempt. A single timer bounds it precisely (undici's own timers are coarse); undici's
   * header and body timeouts, a little later, free the socket if the answer never comes.
   */
  send(request: TransportRequest): Promise<TransportAnswer> {
    const timeoutMs = Math.max(1, Math.min(request.timeoutMs, this.#responseTimeoutMs));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new TransportTimeoutError(`no answer within ${timeoutMs} ms`)), timeoutMs);
      this.#exchange(request, timeoutMs + cleanupSlackMs).then(
        (answer) => {
          clearTimeout(timer);
          resolve(answer);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  }

  async #exchange(request: TransportRequest, timeoutMs: number): Promise<TransportAnswer> {
    const options: Dispatcher.RequestOptions = {
      origin: this.#origin,
      path: this.#path,
      method: 'POST',
      headers: request.headers as string[],
      body: request.body,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    };
    if (request.signal !== undefined) options.signal = request.signal;
    const response = await this.#dispatcher.request(options);
    const declared = Number(response.headers['content-length']);
    if (declared > this.#maxResponseBytes) {
      response.body.destroy();
      throw new ResponseTooLargeError(
        `the answer declares ${declared} bytes, over the ${this.#maxResponseBytes} limit`,
      );
    }
    return { status: response.statusCode, body: await readText(response.body, this.#maxResponseBytes) };
  }

  async close(): Promise<void> {
    if (this.#ownsDispatcher) await this.#dispatcher.close();
  }
}

async function readText(body: Dispatcher.ResponseData['body'], maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      body.destroy();
      throw new ResponseTooLargeError(`the answer is over the ${maxBytes} byte limit`);
    }
    chunks.push(chunk);
  }
  return (chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size)).toString('utf8');
}
