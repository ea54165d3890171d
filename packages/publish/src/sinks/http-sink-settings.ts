import {
  isEgressError,
  readEgressTimeouts,
  type EgressTimeouts,
  type PhaseTimeouts,
} from '@events-protocol/client/egress';
import { PublishError, PublishErrorCode } from '../publish-error.js';

/** Timeouts of one HTTP request: one number sets connect and response alike, or give the pair. */
export type HttpTimeouts = EgressTimeouts;

/**
 * What `healthCheck()` of an HTTP sink asks: nothing (`false`, the default: healthy while not
 * closed), a `HEAD` of the target URL (`'target'`), or a `GET` of a health URL of its own.
 */
export type HttpHealthCheck = false | 'target' | { readonly url: string };

/** The default `maxResponseBytes`: 64 KiB of an answer are read, then the connection is cut. */
export const defaultMaxResponseBytes = 65_536;

/** An egress refusal of options as the sink's own `INVALID_OPTIONS`; anything else as it is. */
export function asInvalidOptions(error: unknown): unknown {
  return isEgressError(error)
    ? new PublishError(PublishErrorCode.InvalidOptions, error.message, { cause: error })
    : error;
}

/**
 * The `timeouts` option, or its deprecated alias `timeout`, as connect and response timeouts.
 *
 * @throws {PublishError} `INVALID_OPTIONS` for both names at once, or a timeout that is not a positive number.
 */
export function readHttpTimeouts(timeouts: HttpTimeouts | undefined, timeout: HttpTimeouts | undefined): PhaseTimeouts {
  if (timeouts !== undefined && timeout !== undefined) {
    throw new PublishError(
      PublishErrorCode.InvalidOptions,
      'give timeouts, not both timeouts and its old name timeout',
    );
  }
  try {
    return readEgressTimeouts(
      timeouts ?? timeout,
      timeouts === undefined && timeout !== undefined ? 'timeout' : 'timeouts',
    );
  } catch (error) {
    throw asInvalidOptions(error);
  }
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
