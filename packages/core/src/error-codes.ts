/** Whether repeating the same call, unchanged, can succeed: `depends` says see the meaning. */
export type ErrorCodeRetryable = 'yes' | 'no' | 'depends';

/** What one error code means, in every package that throws it, and whether a retry can help. */
export interface ErrorCodeInfo {
  readonly meaning: string;
  readonly retryable: ErrorCodeRetryable;
}

/**
 * Every code the packages' errors carry, each with one meaning. A code string such as
 * `INVALID_OPTIONS` means the same in every package that throws it; the error's family (its class,
 * checked by its `isXError` guard) says which package threw it. `docs/ERRORS.md` lists the same
 * codes with the families that throw them.
 */
export const errorCodes = {
  // Shared by several packages, with one meaning.
  INVALID_OPTIONS: { meaning: 'Options given to a constructor or function are invalid.', retryable: 'no' },
  INVALID_EVENT: {
    meaning:
      'The event cannot be sent or stored as it is (not a valid event, an invalid name or version, not JSON); nothing was sent or stored.',
    retryable: 'no',
  },
  TIMEOUT: { meaning: 'The other side did not answer in time.', retryable: 'yes' },
  ABORTED: {
    meaning:
      "The caller's `AbortSignal` cancelled the call: nothing failed, and whether to try again is the caller's choice.",
    retryable: 'no',
  },
  CLOSED: { meaning: 'The object was used after `close()`.', retryable: 'no' },
  // Client.
  ERROR_RESPONSE: {
    meaning:
      'The server answered an error event; its error type says whether another try can pass (`error` may, `notFound` will not).',
    retryable: 'depends',
  },
  FAILED_DEPENDENCY: {
    meaning:
      'The server was unreachable, answered a non-2xx status, or answered something that is not a response event; a retry helps when it was unreachable or unavailable.',
    retryable: 'depends',
  },
  INVALID_PAYLOAD: { meaning: "A payload the contract's schema rejects; nothing was sent.", retryable: 'no' },
  INVALID_RESPONSE_PAYLOAD: {
    meaning: "The success payload does not match the contract's response schema.",
    retryable: 'no',
  },
  // Client egress (HTTP).
  RESPONSE_TOO_LARGE: {
    meaning: 'The response body is over the limit (`maxResponseBytes`); the request was aborted and the body dropped.',
    retryable: 'no',
  },
  RESPONSE_INTERRUPTED: {
    meaning:
      'The connection was reset or closed while the response body was read: the request arrived. Repeat only a request safe to repeat.',
    retryable: 'depends',
  },
  // Server.
  DUPLICATE_HANDLER: { meaning: 'A handler is registered twice for the same name and version.', retryable: 'no' },
  INVALID_HANDLER: { meaning: 'A handler without a name, or otherwise unusable.', retryable: 'no' },
  RESERVED_CONTEXT_NAME: {
    meaning:
      'A registry middleware added a context value under a reserved name (`logger`, `deadline`, `signal`, `transport`, `registration`).',
    retryable: 'no',
  },
  // Publish.
  SERIALIZATION_FAILED: { meaning: 'The event cannot be written as JSON (a cycle, a function).', retryable: 'no' },
  TOPIC_NOT_CONFIGURED: { meaning: 'No route or target is configured for the topic.', retryable: 'no' },
  UNREACHABLE: { meaning: 'The target could not be reached (refused, reset, DNS, Redis down).', retryable: 'yes' },
  REJECTED: {
    meaning:
      'The target answered and refused the event (a non-2xx status, an error event); a refusal for a passing reason (a 5xx, a 429) may pass later, others will not.',
    retryable: 'depends',
  },
  UNDELIVERABLE: {
    meaning:
      'The destination cannot take the event, now or later (a deleted or disabled webhook subscription, a refused target); the relay gives up at once.',
    retryable: 'no',
  },
  DEFERRED: {
    meaning:
      "The attempt was put back unmade (a webhook endpoint's rate or concurrency limit, or its Retry-After pause); it is due again later and spends no attempt.",
    retryable: 'yes',
  },
  PARTIAL_FAILURE: {
    meaning: 'Some sinks of a composite failed; `failures` holds each, and each says whether a retry can help.',
    retryable: 'depends',
  },
  // Outbox.
  ENQUEUE_FAILED: {
    meaning:
      "The store could not durably store the event; the caller still holds it. The error's `retryable` is true when a lost connection or a busy store caused it.",
    retryable: 'depends',
  },
  BATCH_TOO_LARGE: { meaning: 'More events in one batch than `maxBatchSize`; nothing was stored.', retryable: 'no' },
  CORRUPT_RECORD: { meaning: 'A stored record could not be read back.', retryable: 'no' },
  STORE_UNAVAILABLE: {
    meaning:
      "The store's database or broker could not be reached or dropped the connection; the next call reconnects. Repeat a write with the same event id.",
    retryable: 'yes',
  },
  STORE_BUSY: {
    meaning: "Another process held the store's lock longer than the busy timeout; nothing changed.",
    retryable: 'yes',
  },
  // Webhooks.
  INVALID_SUBSCRIPTION: {
    meaning: 'A subscription (or its retry schedule) is invalid; `issues` says where.',
    retryable: 'no',
  },
  SUBSCRIPTION_EXISTS: {
    meaning: 'A subscription to the same event type and target URL exists; `existingId` names it.',
    retryable: 'no',
  },
  SUBSCRIPTION_NOT_FOUND: { meaning: 'No subscription with that id.', retryable: 'no' },
  TARGET_REFUSED: {
    meaning: 'The target URL is refused by the target policy (not http(s), or a private address).',
    retryable: 'no',
  },
  INVALID_SECRET: { meaning: 'A signing secret is not `whsec_` + base64 of 24–64 bytes.', retryable: 'no' },
  // Topics.
  INVALID_CONFIG: {
    meaning: 'The topics configuration is invalid; `issues` names each topic and field.',
    retryable: 'no',
  },
  // Conformance.
  UNKNOWN_CHECK: { meaning: 'A conformance check id that does not exist.', retryable: 'no' },
  // Retry schedules (core).
  UNKNOWN_SCHEDULE: { meaning: 'A retry schedule name that is not registered.', retryable: 'no' },
  INVALID_SCHEDULE_OPTIONS: { meaning: "Retry schedule options that the schedule's schema rejects.", retryable: 'no' },
  // JSON (core).
  JSON_TOO_DEEP: {
    meaning: 'A JSON document nested deeper than allowed (`maxDepth`); a `RangeError`.',
    retryable: 'no',
  },
  JSON_NUMBER_OUT_OF_RANGE: {
    meaning:
      'A JSON number a double cannot hold (beyond ±1.8e308, or non-zero below 5e-324): reading it would change its value; a `RangeError`.',
    retryable: 'no',
  },
  JSON_UNSUPPORTED_VALUE: {
    meaning: 'A value JSON cannot carry as it is (a function, a cycle, NaN, a Map…); `path` says where; a `TypeError`.',
    retryable: 'no',
  },
  // Publish (the recording sink, for tests).
  ASSERTION_FAILED: {
    meaning: "A recording sink's assertion found other events than expected; the message shows both.",
    retryable: 'no',
  },
  // Fault injection.
  INVALID_FAULT_PLAN: {
    meaning: 'A fault plan whose rates are not probabilities, or whose latency range is inverted.',
    retryable: 'no',
  },
  INJECTED_FAULT: {
    meaning: 'A failure a fault plan injected on purpose, standing for a passing outage.',
    retryable: 'yes',
  },
} as const satisfies Readonly<Record<string, ErrorCodeInfo>>;

/** A code listed in {@link errorCodes}: the only codes an error family may use. */
export type ErrorCodeName = keyof typeof errorCodes;
