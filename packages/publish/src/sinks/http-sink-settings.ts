import { PublishError, PublishErrorCode } from '../publish-error.js';

/** Timeouts of one HTTP request: one number sets connect and response alike, or give the pair. */
export type HttpTimeouts = number | { readonly connectMs: number; readonly responseMs: number };

/**
 * What `healthCheck()` of an HTTP sink asks: nothing (`false`, the default: healthy while not
 * closed), a `HEAD` of the target URL (`'target'`), or a `GET` of a health URL of its own.
 */
export type HttpHealthCheck = false | 'target' | { readonly url: string };

/** The default connect and response timeouts: 10 s each. */
export const defaultHttpTimeoutMs = 10_000;

/** The default `maxResponseBytes`: 64 KiB of an answer are read, then the connection is cut. */
export const defaultMaxResponseBytes = 65_536;

/** Connect and response timeouts, in ms. */
export interface ConnectAndResponseMs {
  readonly connectMs: number;
  readonly responseMs: number;
}

function positive(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new PublishError(
      PublishErrorCode.InvalidOptions,
      `${name} must be a positive number of ms, got ${String(value)}`,
    );
  }
  return value;
}

/**
 * The `timeouts` option, or its deprecated alias `timeout`, as connect and response timeouts.
 *
 * @throws {PublishError} `INVALID_OPTIONS` for both names at once, or a timeout that is not a positive number.
 */
export function readHttpTimeouts(
  timeouts: HttpTimeouts | undefined,
  timeout: HttpTimeouts | undefined,
): ConnectAndResponseMs {
  if (timeouts !== undefined && timeout !== undefined) {
    throw new PublishError(
      PublishErrorCode.InvalidOptions,
      'give timeouts, not both timeouts and its old name timeout',
    );
  }
  const name = timeouts === undefined && timeout !== undefined ? 'timeout' : 'timeouts';
  const given = timeouts ?? timeout ?? defaultHttpTimeoutMs;
  if (typeof given === 'number') {
    const both = positive(name, given);
    return { connectMs: both, responseMs: both };
  }
  return {
    connectMs: positive(`${name}.connectMs`, given.connectMs),
    responseMs: positive(`${name}.responseMs`, given.responseMs),
  };
}

/**
 * The `maxResponseBytes` option: a whole number of bytes, at least 0.
 *
 * @throws {PublishError} `INVALID_OPTIONS` otherwise.
 */
export function readMaxResponseBytes(value: number | undefined): number {
  if (value === undefined) return defaultMaxResponseBytes;
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new PublishError(
      PublishErrorCode.InvalidOptions,
      `maxResponseBytes must be a whole number ≥ 0, got ${value}`,
    );
  }
  return value;
}

/**
 * The URL and method `healthCheck()` requests, or `undefined` for none.
 *
 * @throws {PublishError} `INVALID_OPTIONS` for a health URL that is not http(s).
 */
export function readHealthCheck(
  option: HttpHealthCheck | undefined,
  target: URL,
): { url: URL; method: 'HEAD' | 'GET' } | undefined {
  if (option === undefined || option === false) return undefined;
  if (option === 'target') return { url: target, method: 'HEAD' };
  return { url: readHttpUrl(option.url, 'healthCheck.url'), method: 'GET' };
}

/**
 * An http(s) URL.
 *
 * @throws {PublishError} `INVALID_OPTIONS` for anything else.
 */
export function readHttpUrl(text: string, name = 'url'): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch (error) {
    throw new PublishError(PublishErrorCode.InvalidOptions, `${name}: not a URL: ${text}`, { cause: error });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new PublishError(PublishErrorCode.InvalidOptions, `${name}: the URL must be http(s), got ${url.protocol}`);
  }
  return url;
}
