import { undiciTransport } from '#undici-transport';
import type { Dispatcher } from 'undici';
import { EventClientError, EventClientErrorCode } from './client-error.js';
import type { EventTransport } from './event-transport.js';
import { FetchTransport } from './fetch-transport.js';

/** What the client's own HTTP transport is made from. */
export interface DefaultTransportOptions {
  readonly dispatcher?: Dispatcher | undefined;
  readonly connections?: number | undefined;
  readonly connectMs: number;
  readonly responseMs: number;
}

interface RuntimeVersions {
  readonly node?: string;
  readonly bun?: string;
}

/**
 * Whether the `undici` this build imported is the real one: on Node, and on Deno (npm's undici
 * runs unchanged on its `node:net`), but not on Bun, which swaps in a partial copy of its own.
 */
function hasRealUndici(): boolean {
  const versions = (globalThis as { process?: { versions?: RuntimeVersions } }).process?.versions;
  return typeof versions?.node === 'string' && versions.bun === undefined;
}

/**
 * The transport a client given a `url` uses, chosen here and nowhere else: the undici transport
 * on Node and Deno (a keep-alive pool, precise phase timeouts, the caller's `dispatcher`; on Deno
 * it is also faster than Deno's own `fetch`), the {@link FetchTransport} on Bun, in browsers and
 * in workers. The package's `imports` field leaves undici out of the builds for Bun, browsers and
 * workers (`#undici-transport`), and a runtime that claims to be Node without being it (Bun's
 * partial undici) still gets `fetch`.
 *
 * @throws {EventClientError} `INVALID_OPTIONS` for a `dispatcher` where there is no undici transport.
 */
export function defaultHttpTransport(url: string, options: DefaultTransportOptions): EventTransport {
  if (undiciTransport !== undefined && (hasRealUndici() || options.dispatcher !== undefined)) {
    return undiciTransport(url, options);
  }
  if (options.dispatcher !== undefined) {
    throw new EventClientError(
      EventClientErrorCode.InvalidOptions,
      'dispatcher needs the undici transport, which this runtime does not use: leave it out (calls go through fetch)',
    );
  }
  return new FetchTransport(url, { connectMs: options.connectMs, responseMs: options.responseMs });
}
