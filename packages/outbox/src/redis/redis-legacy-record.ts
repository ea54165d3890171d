import { readJson } from '@events-protocol/core';
import { OutboxError } from '../outbox-error.js';
import { maxKeptAttempts, type AttemptFailure, type AttemptRecord } from '../outbox-store.js';
import { interruptedAttempt } from '../stored-record.js';
import { field, flatten, readFieldList } from './redis-entry.js';

// The previous layout kept an entry's fields in its stream entry (or a JSON array of them in the
// retries set), with its failures as `errors`: {attempt, at, message, name?, code?}. These pure
// functions turn such a record into this layout's fields and attempt records.

/** A record of the previous layout, ready to be stored in this one. */
export interface LegacyRecord {
  id: string;
  /** The hash fields apart from `seq`, `state` and `attempts`. */
  fields: string[];
  attempts: number;
  /** Attempt records, oldest first, each as JSON text. */
  history: string[];
}

function corrupt(what: string, cause?: unknown): OutboxError {
  return new OutboxError('CORRUPT_RECORD', `a stored ${what} of the previous Redis layout could not be read`, {
    cause,
  });
}

/**
 * Reads an `errors` list of the previous layout as attempt records: `LEASE_EXPIRED` ones were
 * interrupted attempts, every other one a failed attempt; how long they took was not kept (0).
 *
 * @throws {OutboxError} `CORRUPT_RECORD` when it is not such a list.
 */
export function historyFromLegacyErrors(text: string): AttemptRecord[] {
  let value: unknown;
  try {
    value = readJson(text);
  } catch (error) {
    throw corrupt('error list', error);
  }
  if (!Array.isArray(value)) throw corrupt('error list');
  return (value as unknown[]).map((item): AttemptRecord => {
    const old = item as Partial<Record<'attempt' | 'at' | 'message' | 'name' | 'code', unknown>> | null;
    if (typeof old?.attempt !== 'number' || typeof old.at !== 'string' || typeof old.message !== 'string') {
      throw corrupt('error list');
    }
    const error: AttemptFailure = { message: old.message };
    if (typeof old.name === 'string') error.name = old.name;
    if (typeof old.code === 'string') error.code = old.code;
    const outcome = old.code === 'LEASE_EXPIRED' ? 'interrupted' : 'failed';
    return { attempt: old.attempt, at: old.at, durationMs: 0, outcome, error };
  });
}

/** What else was kept of a claimed entry of the previous layout. */
export interface LegacyClaimState {
  /** The LEASE_EXPIRED errors stored for its expired claims (JSON), if any. */
  interrupted?: string | undefined;
  /** How often the consumer group delivered it (0 when nobody claimed it). */
  deliveries: number;
  /** When the conversion runs: the time of the interrupted attempts nobody recorded. */
  now: Date;
}

/**
 * Converts the fields of an entry of the previous layout. A claimed one (`deliveries` > 0) had
 * that many attempts beyond its `attempts`, none recorded: the claims are converted as
 * interrupted attempts, so they still count against the budget.
 *
 * @throws {OutboxError} `CORRUPT_RECORD` when a field is missing or unreadable.
 */
export function convertLegacyRecord(
  fields: ReadonlyMap<string, string>,
  claim: LegacyClaimState = { deliveries: 0, now: new Date() },
): LegacyRecord {
  const id = field(fields, 'id', 'an entry of the previous layout');
  const of = `entry ${id} of the previous layout`;
  const before = Number(field(fields, 'attempts', of));
  const history = historyFromLegacyErrors(fields.get('errors') ?? '[]');
  if (claim.deliveries > 0) {
    const interrupted = historyFromLegacyErrors(claim.interrupted ?? '[]');
    history.push(...interrupted);
    for (let attempt = before + interrupted.length + 1; attempt <= before + claim.deliveries; attempt++) {
      history.push(interruptedAttempt(attempt, claim.now));
    }
  }
  const attempts = claim.deliveries > 0 ? before + claim.deliveries : before;
  return {
    id,
    fields: flatten({
      topic: fields.get('topic'),
      event: field(fields, 'event', of),
      attributes: field(fields, 'attributes', of),
      enqueuedAt: field(fields, 'enqueuedAt', of),
    }),
    attempts,
    history: history.slice(-maxKeptAttempts).map((record) => JSON.stringify(record)),
  };
}

/**
 * Reads a member of the previous layout's retries set: a JSON array of field/value items.
 *
 * @throws {OutboxError} `CORRUPT_RECORD` for anything else.
 */
export function readLegacyMember(member: string): Map<string, string> {
  let value: unknown;
  try {
    value = JSON.parse(member);
  } catch (error) {
    throw corrupt('retry', error);
  }
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) throw corrupt('retry');
  return readFieldList(value);
}
