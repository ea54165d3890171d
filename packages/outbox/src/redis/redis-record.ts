import type { AttemptRecord, ClaimedEvent, OutboxEntry, StoredEntry } from '../outbox-store.js';
import { decodeAttributes, decodeEvent, decodeHistory, encodeEvent } from '../stored-record.js';
import { field, flatten, malformed, readFieldList, readStringList } from './redis-entry.js';

// How an entry's hash reads and writes. Its fields: `topic` (absent without one), `event`,
// `attributes` (JSON), `enqueuedAt` (ms), `seq`, `state`, `attempts`; pending: `dueAt` (ms),
// `stream` (its stream entry id while due or claimed); claimed: `claim` (the receipt; absent
// or empty when no relay holds the entry), `kept` (how many attempt records, when known),
// `leaseEnd` (ms) and `leaseEndAt` (ISO); `deliveredAt` or `failedAt` (ms); `orderingKey` (absent
// without one). Its attempt
// records, one JSON object each, are a list of their own.

/** The fields an enqueue writes, apart from those its kind decides (state, dueAt, …). */
export function entryFields(entry: OutboxEntry): string[] {
  return flatten({
    topic: entry.topic,
    event: encodeEvent(entry.event),
    attributes: JSON.stringify(entry.attributes),
    enqueuedAt: String(entry.enqueuedAt.getTime()),
    orderingKey: entry.orderingKey,
  });
}

/** Reads the list of attempt records (each one JSON text) back, oldest first. */
export function readHistory(reply: unknown): AttemptRecord[] {
  const items = readStringList(reply);
  return items.length === 0 ? [] : decodeHistory(`[${items.join(',')}]`);
}

function date(fields: ReadonlyMap<string, string>, name: string): Date | undefined {
  const value = fields.get(name);
  return value === undefined ? undefined : new Date(Number(value));
}

/**
 * An entry as a script returns it: its id, HGETALL of its hash, LRANGE of its attempt records.
 *
 * @throws {OutboxError} `CORRUPT_RECORD` when it is not a record this store wrote.
 */
export function readStoredEntry(id: string, hash: unknown, history: unknown): StoredEntry {
  const fields = readFieldList(hash);
  const of = `outbox entry ${id}`;
  const state = field(fields, 'state', of);
  const claimed = (fields.get('claim') ?? '') !== '';
  const base = {
    id,
    topic: fields.get('topic'),
    event: decodeEvent(field(fields, 'event', of)),
    attributes: decodeAttributes(field(fields, 'attributes', of)),
    // The hash counts recorded attempts; the one a relay holds now counts too.
    attempts: Number(field(fields, 'attempts', of)) + (claimed ? 1 : 0),
    history: readHistory(history),
    enqueuedAt: new Date(Number(field(fields, 'enqueuedAt', of))),
    ...(fields.has('orderingKey') ? { orderingKey: fields.get('orderingKey') } : {}),
  };
  switch (state) {
    case 'pending': {
      const nextAttemptAt = date(fields, claimed ? 'leaseEnd' : 'dueAt') ?? base.enqueuedAt;
      return { ...base, state, claimed, nextAttemptAt };
    }
    case 'delivered':
      return { ...base, state, deliveredAt: date(fields, 'deliveredAt') };
    case 'undelivered':
      return { ...base, state, failedAt: new Date(Number(field(fields, 'failedAt', of))) };
    default:
      throw malformed(`${of} has an unknown state '${state}'`);
  }
}

/** A claim as the claim script returns it: `[id, receipt, hash, history]`. */
export function readClaimed(reply: unknown): ClaimedEvent {
  const [id, receipt, hash, history] = Array.isArray(reply) ? (reply as unknown[]) : [];
  if (typeof id !== 'string' || typeof receipt !== 'string') throw malformed('expected [id, receipt, entry, history]');
  const entry = readStoredEntry(id, hash, history);
  return {
    id: entry.id,
    receipt,
    event: entry.event,
    topic: entry.topic,
    attributes: entry.attributes,
    attempt: entry.attempts, // the claim's own attempt, as the entry holds it now
    history: entry.history,
    enqueuedAt: entry.enqueuedAt,
    ...(entry.orderingKey === undefined ? {} : { orderingKey: entry.orderingKey }),
  };
}
