import { deadlineHeader, type JsonObject } from '@events-protocol/core';
import type { Dispatcher } from 'undici';
import { EventClientError, EventClientErrorCode } from './client-error.js';
import type { EventTransport } from './event-transport.js';
import { resolveRetry, type RetryOption } from './retry-option.js';

/** The default total time of a call: 15 seconds. */
export const defaultTimeoutMs = 15_000;
/** The default connect and response timeouts of each attempt: 10 seconds. */
export const defaultConnectionTimeoutMs = 10_000;

/** A pino-compatible logger: retries at `debug`, deprecated events called at `warn` (once each). */
export interface ClientLogger {
  debug(object: object, message?: string): void;
  warn(object: object, message?: string): void;
}

/** Per attempt: one number for connect and response, or `{ connectMs, responseMs }`. */
export type ClientTimeouts = number | { connectMs: number; responseMs: number };

/** How an {@link EventClient} is set up. */
export interface EventClientOptions {
  /** The events endpoint, e.g. `http://orders.internal:8080/events`. */
  url?: string;
  /** A transport instead of `url` (see {@link EventClient.inProcess}). */
  transport?: EventTransport;
  /** The total time of a call in ms, retries included; {@link defaultTimeoutMs} by default. */
  timeout?: number;
  /**
   * Per attempt: ms to get a connection (`connectMs`) and ms from the connection to the end of
   * the answer (`responseMs`). One number sets both; {@link defaultConnectionTimeoutMs} by
   * default. The total `timeout` (and a handler's deadline) caps both.
   */
  timeouts?: ClientTimeouts;
  /** @deprecated The old name of {@link EventClientOptions.timeouts}; it still works, give one of the two. */
  connectionTimeouts?: ClientTimeouts;
  /** Headers sent with every call (`content-type` is always `application/json`). */
  headers?: Record<string, string>;
  /** The calling application's name, added to every event as `metadata.origin`. */
  origin?: string;
  /** Retries for timeouts and unreachable servers; off by default. */
  retry?: RetryOption;
  logger?: ClientLogger;
  /** An undici dispatcher to send through (not closed by the client). */
  dispatcher?: Dispatcher;
  /** Keep-alive sockets to the server; 128 by default. */
  connections?: number;
}

/** One event to send: everything but `name` has a default. */
export interface SendEventInit {
  name: string;
  /** 1 by default. */
  version?: number;
  /** `null` by default. */
  payload?: unknown;
  /** A new UUID by default; kept on every retry so the server can deduplicate. */
  id?: string;
  /** The flowId of the event being handled, if any, or a new UUID. */
  flowId?: string;
  identity?: JsonObject;
  auth?: JsonObject;
  metadata?: JsonObject;
  /** The total time of this call in ms, overriding the client's. */
  timeout?: number;
  /** Cancels the call; it then rejects with `EventClientError` code `ABORTED`. */
  signal?: AbortSignal;
  /** Retries of this call, overriding the client's. */
  retry?: RetryOption;
}

/** Options of a typed call: the event fields besides name, version and payload. */
export type SendOptions = Omit<SendEventInit, 'name' | 'version' | 'payload'>;

/** The options of a client, checked once. */
export interface ClientSettings {
  readonly timeoutMs: number;
  readonly connectMs: number;
  readonly responseMs: number;
  /** Header names and values alternating, `content-type` last; never the deadline header. */
  readonly headers: readonly string[];
  readonly origin: string | undefined;
  readonly retry: RetryOption;
}

/**
 * `value` if it is a positive, finite number of ms.
 *
 * @throws {EventClientError} `INVALID_OPTIONS` naming the option otherwise.
 */
export function positiveMs(name: string, value: unknown): number {
  if (!(typeof value === 'number' && Number.isFinite(value) && value > 0)) {
    throw new EventClientError(
      EventClientErrorCode.InvalidOptions,
      `${name} must be a positive, finite number of ms, got ${String(value)}`,
    );
  }
  return value;
}

function readTimeouts(options: EventClientOptions): { connectMs: number; responseMs: number } {
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- the deprecated alias still works
  const alias = options.connectionTimeouts;
  if (options.timeouts !== undefined && alias !== undefined) {
    throw new EventClientError(
      EventClientErrorCode.InvalidOptions,
      'give timeouts only: connectionTimeouts is its deprecated name',
    );
  }
  const name = alias === undefined ? 'timeouts' : 'connectionTimeouts';
  const given = options.timeouts ?? alias ?? defaultConnectionTimeoutMs;
  if (typeof given === 'number') {
    const both = positiveMs(name, given);
    return { connectMs: both, responseMs: both };
  }
  if (typeof given !== 'object' || (given as unknown) === null) {
    throw new EventClientError(
      EventClientErrorCode.InvalidOptions,
      `${name} must be a number or { connectMs, responseMs }`,
    );
  }
  return {
    connectMs: positiveMs(`${name}.connectMs`, given.connectMs),
    responseMs: positiveMs(`${name}.responseMs`, given.responseMs),
  };
}

/**
 * Checks a client's options and reads them into settings.
 *
 * @throws {EventClientError} `INVALID_OPTIONS` for a bad timeout; `RetryScheduleError` for a bad retry schedule.
 */
export function readClientSettings(options: EventClientOptions): ClientSettings {
  const timeoutMs = positiveMs('timeout', options.timeout ?? defaultTimeoutMs);
  const { connectMs, responseMs } = readTimeouts(options);
  const headers: string[] = [];
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    const lower = name.toLowerCase();
    if (lower !== 'content-type' && lower !== deadlineHeader) headers.push(name, value);
  }
  headers.push('content-type', 'application/json');
  const retry = options.retry ?? false;
  resolveRetry(retry); // a bad schedule fails here, not on the first call
  return { timeoutMs, connectMs, responseMs, headers, origin: options.origin, retry };
}
