import {
  causeChain,
  describeError,
  HttpEgress,
  isEgressError,
  type EgressResponse,
} from '@events-protocol/client/egress';
import { responseExcerpt } from '@events-protocol/publish';
import type { Dispatcher } from 'undici';

/** What one HTTP attempt gave. */
export interface AttemptResponse {
  /** A 2xx status arrived. */
  readonly ok: boolean;
  readonly status?: number;
  /** The answer's headers, names in lower case, when an answer arrived. */
  readonly headers?: Readonly<Record<string, string | string[] | undefined>>;
  /** The start of the response body (at most 2 KiB). */
  readonly responseExcerpt?: string;
  /** On a 429 or 503, the wait its `Retry-After` asks for, in ms. */
  readonly retryAfterMs?: number;
  /**
   * Why no response arrived: `timeout: …` naming the phase and the limit, or the failure's code
   * and message (`ECONNREFUSED: …`, `TARGET_REFUSED: …` for an address the policy refused) and
   * the phase it happened in.
   */
  readonly error?: string;
  readonly durationMs: number;
}

/** How long an attempt may take: to connect, then to get the whole response once connected. */
export interface DeliveryTimeouts {
  readonly connectMs: number;
  readonly responseMs: number;
}

// An answer up to this size is read to its end (the connection stays alive); past it, cut off.
const maxResponseBytes = 65_536;

// One egress per dispatcher: an egress over a dispatcher it was given holds nothing to close.
const egresses = new WeakMap<Dispatcher, HttpEgress>();

function egressOver(dispatcher: Dispatcher): HttpEgress {
  let egress = egresses.get(dispatcher);
  if (egress === undefined) {
    egress = new HttpEgress({ dispatcher, maxResponseBytes });
    egresses.set(dispatcher, egress);
  }
  return egress;
}

/**
 * Makes one delivery attempt through the shared HTTP egress: POSTs the body with its headers
 * within the connect and response timeouts, and keeps a 2 KiB excerpt of the answer (an answer
 * over 64 KiB is cut off, its status still counts). Never throws: what went wrong is in the result.
 */
export async function sendDelivery(
  dispatcher: Dispatcher,
  url: URL,
  body: string,
  headers: Record<string, string>,
  timeouts: DeliveryTimeouts,
): Promise<AttemptResponse> {
  const started = performance.now();
  let response: EgressResponse;
  try {
    response = await egressOver(dispatcher).send({ url, body, headers, timeouts, overflow: 'truncate' });
  } catch (error) {
    return { ok: false, error: describeFailure(error), durationMs: performance.now() - started };
  }
  const answer: AttemptResponse = {
    ok: response.status >= 200 && response.status <= 299,
    status: response.status,
    headers: response.headers,
    responseExcerpt: responseExcerpt(response.body),
    durationMs: response.durationMs,
  };
  return response.retryAfterMs === undefined ? answer : { ...answer, retryAfterMs: response.retryAfterMs };
}

/** The attempt's error text: a timeout as `timeout: …`, else the first coded cause and the phase. */
function describeFailure(error: unknown): string {
  if (!isEgressError(error)) return describeError(error);
  if (error.code === 'TIMEOUT') return `timeout: ${error.message}`;
  const coded = causeChain(error.cause).find((link) => typeof (link as { code?: unknown } | null)?.code === 'string');
  return coded === undefined ? error.message : `${describeError(coded)} (${error.phase} phase)`;
}
