import { PublishError, PublishErrorCode, type DeliveryReport } from '@events-protocol/publish';
import type { AttemptResponse } from './deliver-request.js';

/** The sink name webhook attempts are reported under. */
export const webhookSinkName = 'webhooks';

/** The most a `Retry-After` may defer an attempt: a day. Longer asks are cut to this. */
export const maxRetryAfterMs = 86_400_000;

/**
 * Reads a `Retry-After` header value: delay-seconds (`120`) or an HTTP date, as ms from `now`
 * (0 for a date already past). `undefined` when absent or unreadable; at most {@link maxRetryAfterMs}.
 */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Math.min(Number(text) * 1000, maxRetryAfterMs);
  // An HTTP date names its weekday and zone; a bare number or word is not one.
  if (!/^[A-Za-z]{3},/.test(text)) return undefined;
  const at = Date.parse(text);
  if (!Number.isFinite(at)) return undefined;
  return Math.min(Math.max(at - now, 0), maxRetryAfterMs);
}

/** The response headers of an attempt, where the egress reports them. */
type ReportedHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

function retryAfterHeader(response: AttemptResponse): string | undefined {
  // `sendDelivery` reports no headers yet: read them when it does, without depending on it.
  const headers = (response as AttemptResponse & { headers?: ReportedHeaders }).headers;
  const value = headers?.['retry-after'];
  return typeof value === 'string' ? value : value?.[0];
}

/**
 * What one HTTP attempt means to the relay: a {@link DeliveryReport} for a 2xx answer, otherwise
 * the {@link PublishError} to throw: `REJECTED` with the status and excerpt for another answer
 * (with `retryAfterMs` from `Retry-After` on a 429 or 503), `TIMEOUT` when no answer came in time,
 * `UNREACHABLE` for a refused, reset or guarded connection (its message is the attempt's error,
 * `TARGET_REFUSED: …` for an address the policy refused when dialling).
 */
export function attemptOutcome(response: AttemptResponse, now: number): DeliveryReport | PublishError {
  const excerpt = response.responseExcerpt === undefined ? {} : { responseExcerpt: response.responseExcerpt };
  if (response.status !== undefined) {
    if (response.ok) return { status: response.status, ...excerpt };
    const retryAfterMs =
      response.status === 429 || response.status === 503 ? parseRetryAfter(retryAfterHeader(response), now) : undefined;
    return new PublishError(PublishErrorCode.Rejected, `the webhook target answered ${response.status}`, {
      sink: webhookSinkName,
      status: response.status,
      ...excerpt,
      retryAfterMs,
    });
  }
  const error = response.error ?? 'no answer';
  const code = error.startsWith('timeout') ? PublishErrorCode.Timeout : PublishErrorCode.Unreachable;
  return new PublishError(code, error, { sink: webhookSinkName });
}
