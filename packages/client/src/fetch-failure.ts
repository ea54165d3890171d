import { EgressError, EgressErrorCode } from './egress/egress-error.js';
import { causeChain, describeError, readEgressFailure } from './egress/egress-failure.js';

// Deno's fetch names no error code; its hyper client says a connection failed in these words.
const connectFailureWords = /client error \(Connect\)|tcp connect error|dns error|Connection refused/i;

function hasCode(link: unknown): boolean {
  const code = (link as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code !== '';
}

/**
 * What `fetch` threw before the response headers, read with the egress's one failure mapping
 * wherever the runtime says enough. Node's and Bun's fetch carry system codes (`ECONNREFUSED`,
 * `ENOTFOUND`, `UND_ERR_SOCKET`): read as the egress reads them. Deno's carries words: a failed
 * connection is `UNREACHABLE` in the connect phase. Browsers say only `Failed to fetch` (a CORS
 * refusal looks the same): the error is returned as it came, and the client reports an
 * unreachable server without a phase.
 */
export function readFetchFailure(error: unknown): unknown {
  const chain = causeChain(error);
  if (chain.some(hasCode)) return new EgressError(readEgressFailure(error, { phase: 'headers', callerAborted: false }));
  const words = chain.map(describeError).join(': ');
  if (connectFailureWords.test(words)) {
    return new EgressError({
      code: EgressErrorCode.Unreachable,
      phase: 'connect',
      message: `could not connect: ${words}`,
      cause: error,
    });
  }
  return error;
}
