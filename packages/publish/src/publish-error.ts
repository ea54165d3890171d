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
} as const;

export type PublishErrorCode = (typeof PublishErrorCode)[keyof typeof PublishErrorCode];

const codes: ReadonlySet<string> = new Set(Object.values(PublishErrorCode));

/** Why a sink could not take an event; the caller still holds the event. */
export class PublishError extends Error {
  override readonly name = 'PublishError';
  readonly code: PublishErrorCode;
  /** The sink that failed. */
  readonly sink: string | undefined;
  /** For `PARTIAL_FAILURE`: each failing sink's error. */
  readonly failures: readonly PublishError[];

  constructor(
    code: PublishErrorCode,
    message: string,
    options: { cause?: unknown; sink?: string; failures?: readonly PublishError[] } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.sink = options.sink;
    this.failures = options.failures ?? [];
  }
}

/** Whether a value is a {@link PublishError}, across package copies. */
export function isPublishError(value: unknown): value is PublishError {
  if (!(value instanceof Error) || value.name !== 'PublishError') return false;
  const code: unknown = (value as { code?: unknown }).code;
  return typeof code === 'string' && codes.has(code);
}

const permanentCodes: ReadonlySet<string> = new Set([
  PublishErrorCode.InvalidEvent,
  PublishErrorCode.SerializationFailed,
]);

/**
 * Whether a publish failed because of the event itself (`INVALID_EVENT`, `SERIALIZATION_FAILED`,
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
