/**
 * The kinds of request that more than one check sends. A missing or unreadable answer to one is a
 * single fault, judged by the check that owns the shape (see {@link ConformanceCheck.owns}).
 */
export const ProbeShape = {
  /** A valid event for the echo handler with an object payload: `success-naming`. */
  Echo: 'a valid echo event',
  /** A valid event nobody handles: `event-not-found-name`. */
  UnknownEvent: 'an unknown event',
  /** Text that is not JSON: `bad-protocol-unparseable`. */
  NotJson: 'text that is not JSON',
  /** An echo event whose payload is `null` (or missing, which reads as `null`): `echo-payload-scalars`. */
  NullPayload: 'a null payload',
} as const;

/** One of {@link ProbeShape}. */
export type ProbeShape = (typeof ProbeShape)[keyof typeof ProbeShape];

/** The shape of an event without `field` (`bad-protocol-missing-<field>`). */
export function missingFieldShape(field: string): string {
  return `an event without ${field}`;
}

/**
 * The fault key of a missing, unreadable or wrongly named answer to a request of `shape`: the
 * server does not answer that kind of request as the protocol says.
 */
export function noEventCause(shape: string): string {
  return `no proper answer to ${shape}`;
}
