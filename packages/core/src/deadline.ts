/**
 * Deadlines travel with events: over HTTP as the caller's remaining budget in a header (immune to
 * clock skew between machines), elsewhere as an absolute time in `metadata`.
 */

/** The HTTP header carrying the caller's remaining time budget, in whole milliseconds. */
export const deadlineHeader = 'x-events-deadline-ms';

/** The `metadata` key carrying an absolute deadline (ISO 8601) for transports without headers. */
export const deadlineMetadataKey = 'deadline';

/**
 * Reads a remaining-budget header value: a non-negative integer of milliseconds. Anything else
 * (absent, repeated, negative, not a number) is `undefined`: no deadline, rather than a refusal.
 */
export function readDeadlineBudget(value: string | readonly string[] | undefined): number | undefined {
  if (typeof value !== 'string' || !/^\d{1,15}$/.test(value.trim())) return undefined;
  return Number(value.trim());
}

/** Reads an absolute deadline (epoch ms) from an event's metadata; `undefined` when absent or not a date. */
export function readMetadataDeadline(metadata: Readonly<Record<string, unknown>>): number | undefined {
  const value = metadata[deadlineMetadataKey];
  if (typeof value !== 'string') return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : time;
}
