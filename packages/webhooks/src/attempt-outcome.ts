import { PublishError, PublishErrorCode, type DeliveryReport } from '@events-protocol/publish';
import type { AttemptResponse } from './deliver-request.js';

/** The sink name webhook attempts are reported under. */
export const webhookSinkName = 'webhooks';

/**
 * What one HTTP attempt means to the relay: a {@link DeliveryReport} for a 2xx answer, otherwise
 * the {@link PublishError} to throw: `REJECTED` with the status and excerpt for another answer
 * (with the `retryAfterMs` the egress read from `Retry-After` on a 429 or 503), `TIMEOUT` when no answer came in time,
 * `UNREACHABLE` for a refused, reset or guarded connection (its message is the attempt's error,
 * `TARGET_REFUSED: …` for an address the policy refused when dialling).
 */
export function attemptOutcome(response: AttemptResponse): DeliveryReport | PublishError {
  const excerpt = response.responseExcerpt === undefined ? {} : { responseExcerpt: response.responseExcerpt };
  if (response.status !== undefined) {
    if (response.ok) return { status: response.status, ...excerpt };
    return new PublishError(PublishErrorCode.Rejected, `the webhook target answered ${response.status}`, {
      sink: webhookSinkName,
      status: response.status,
      ...excerpt,
      // The egress reads `Retry-After` of a 429 or 503; the relay waits at least that long.
      retryAfterMs: response.retryAfterMs,
    });
  }
  const error = response.error ?? 'no answer';
  const code = error.startsWith('timeout') ? PublishErrorCode.Timeout : PublishErrorCode.Unreachable;
  return new PublishError(code, error, { sink: webhookSinkName });
}
