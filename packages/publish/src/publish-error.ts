import { defineErrorFamily, errorGuard, type ErrorCodeOf, type EventPayloadIssue } from '@events-protocol/core';

/** The stable codes of {@link PublishError}. */
export const PublishErrorCode = {
  /** The event cannot be written as JSON (a cycle, a function). */
  SerializationFailed: 'SERIALIZATION_FAILED',
  /** No route is configured for the topic. */
  TopicNotConfigured: 'TOPIC_NOT_CONFIGURED',
  /** The target could not be reached (refused, reset, DNS, Redis down). */
  Unreachable: 'UNREACHABLE',
  /** The target did not answer in time. */
  Timeout: 'TIMEOUT',
  /** The target answered and refused the event (non-2xx, an error event). */
  Rejected: 'REJECTED',
  /** The caller's signal cancelled the publish. */
  Aborted: 'ABORTED',
  /** The sink is closed. */
  Closed: 'CLOSED',
  /** Some sinks of a composite failed. */
  PartialFailure: 'PARTIAL_FAILURE',
  /** The sink or publisher options are invalid. */
  InvalidOptions: 'INVALID_OPTIONS',
  /** The event is not a valid event (or CloudEvent). */
  InvalidEvent: 'INVALID_EVENT',
  /**
   * The destination cannot take the event, now or later (a deleted or disabled webhook
   * subscription, a target the policy refuses): the relay gives up at once instead of retrying.
   */
  Undeliverable: 'UNDELIVERABLE',
  /**
   * The sink put the attempt back without making it (a webhook endpoint's rate or concurrency
   * limit, or its `Retry-After` pause): the relay makes the entry due again after `retryAfterMs`,
   * and the deferral spends none of its attempts.
   */
  Deferred: 'DEFERRED',
  /** A recording sink's assertion found other events than expected (`PublishAssertionError`, in tests). */
  AssertionFailed: 'ASSERTION_FAILED',
} as const;

/** A code of {@link PublishError}. */
export type PublishErrorCode = ErrorCodeOf<typeof PublishErrorCode>;

/** What a {@link PublishError} carries besides its code and message. */
export interface PublishErrorOptions {
  cause?: unknown;
  sink?: string | undefined;
  failures?: readonly PublishError[];
  status?: number | undefined;
  responseExcerpt?: string | undefined;
  retryAfterMs?: number | undefined;
  issues?: readonly EventPayloadIssue[];
}

/** Why a sink could not take an event; the caller still holds the event. */
export class PublishError extends defineErrorFamily('PublishError', PublishErrorCode).Base<EventPayloadIssue> {
  /** The sink that failed. */
  readonly sink: string | undefined;
  /** For `PARTIAL_FAILURE`: each failing sink's error. */
  readonly failures: readonly PublishError[];
  /** The target's answer status, when it answered (`REJECTED` over HTTP). */
  readonly status: number | undefined;
  /** The start of the target's answer (at most 2 KiB), when it answered. */
  readonly responseExcerpt: string | undefined;
  /**
   * How long the target asked callers to wait before trying again (`Retry-After` on a 429 or
   * 503), in ms. The outbox relay waits at least this long before the next attempt.
   */
  readonly retryAfterMs: number | undefined;

  constructor(code: PublishErrorCode, message: string, options: PublishErrorOptions = {}) {
    super(code, message, options);
    this.sink = options.sink;
    this.failures = options.failures ?? [];
    this.status = options.status;
    this.responseExcerpt = options.responseExcerpt;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** Whether a value is a {@link PublishError}, across package copies. */
export const isPublishError = errorGuard(PublishError);

const permanentCodes: ReadonlySet<string> = new Set([
  PublishErrorCode.InvalidEvent,
  PublishErrorCode.SerializationFailed,
  PublishErrorCode.Undeliverable,
]);

/**
 * Whether a publish failed for good: because of the event itself (`INVALID_EVENT`,
 * `SERIALIZATION_FAILED`), because its destination is gone (`UNDELIVERABLE`),
 * or a `PARTIAL_FAILURE` of only those): every retry would fail the same way, so the outbox
 * relay moves such an event to undelivered at once instead of retrying it.
 */
export function isPermanentPublishError(value: unknown): boolean {
  if (!isPublishError(value)) return false;
  if (value.code === PublishErrorCode.PartialFailure) {
    return value.failures.length > 0 && value.failures.every(isPermanentPublishError);
  }
  return permanentCodes.has(value.code);
}
