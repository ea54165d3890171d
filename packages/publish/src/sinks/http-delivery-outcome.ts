import { retryAfterStatuses } from '@events-protocol/client/egress';
import { PublishError, PublishErrorCode } from '../publish-error.js';
import type { DeliveryReport } from '../sink.js';

/** What an HTTP target answered a delivery, as {@link httpDeliveryOutcome} reads it. */
export interface HttpDeliveryAnswer {
  readonly status: number;
  /** The start of the answer's body, at most 2 KiB. */
  readonly excerpt: string;
  /** The answer's `Retry-After`, in ms, when it had a readable one. */
  readonly retryAfterMs?: number | undefined;
}

/** How much of the excerpt a failure's message repeats (the whole excerpt is on the error). */
const messageExcerptChars = 200;

/**
 * What an answer means for a delivery: a 2xx status is delivered (its report carries the status
 * and excerpt); any other is a `REJECTED` {@link PublishError} with the status, the excerpt and,
 * for 429 and 503, `retryAfterMs`.
 */
export function httpDeliveryOutcome(answer: HttpDeliveryAnswer, sink: string): DeliveryReport | PublishError {
  if (answer.status >= 200 && answer.status <= 299) {
    return { status: answer.status, responseExcerpt: answer.excerpt };
  }
  const shown =
    answer.excerpt.length > messageExcerptChars ? `${answer.excerpt.slice(0, messageExcerptChars)}…` : answer.excerpt;
  return new PublishError(
    PublishErrorCode.Rejected,
    `${sink} answered HTTP ${answer.status}${shown === '' ? '' : `: ${shown}`}`,
    {
      sink,
      status: answer.status,
      responseExcerpt: answer.excerpt,
      retryAfterMs: retryAfterStatuses.has(answer.status) ? answer.retryAfterMs : undefined,
    },
  );
}
