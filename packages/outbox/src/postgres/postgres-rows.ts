import { OutboxError } from '../outbox-error.js';
import type {
  ClaimedEvent,
  EntryState,
  OutboxStats,
  PendingEvent,
  StoredEntry,
  UndeliveredEvent,
} from '../outbox-store.js';
import { decodeAttributes, decodeEvent, decodeHistory } from '../stored-record.js';

/** The PostgreSQL row of one entry as the views select it (JSON columns as text). */
export interface PostgresEntryRow {
  seq: string;
  id: string;
  topic: string | null;
  event: string;
  attributes: string;
  status: string;
  attempts: number;
  history: string;
  enqueued_at: Date;
  available_at: Date;
  locked_until: Date | null;
  claimed: boolean;
  delivered_at: Date | null;
  failed_at: Date | null;
  ordering_key: string | null;
}

/**
 * What a claim did with a row: `claimed` (a due entry), `reclaimed` (its lease expired: the
 * interrupted attempt is recorded and the entry claimed alone), or `undelivered` (out of attempts).
 */
export interface PostgresClaimedRow {
  outcome: 'claimed' | 'reclaimed' | 'undelivered';
  seq: string;
  id: string;
  topic: string | null;
  event: string;
  attributes: string;
  attempts: number;
  history: string;
  enqueued_at: Date;
  ordering_key: string | null;
}

/** The entries a claim's rows hand to the relay, oldest first, under the claim's `receipt`. */
export function toClaimedEvents(rows: readonly PostgresClaimedRow[], receipt: string): ClaimedEvent[] {
  return rows
    .filter((row) => row.outcome !== 'undelivered')
    .sort((a, b) => Number(BigInt(a.seq) - BigInt(b.seq)))
    .map((row) => {
      const claimed: ClaimedEvent = {
        id: row.id,
        receipt,
        event: decodeEvent(row.event),
        topic: row.topic ?? undefined,
        attributes: decodeAttributes(row.attributes),
        attempt: row.attempts,
        history: decodeHistory(row.history),
        enqueuedAt: row.enqueued_at,
      };
      if (row.ordering_key !== null) claimed.orderingKey = row.ordering_key;
      return claimed;
    });
}

function stateOf(status: string): EntryState {
  if (status === 'pending' || status === 'delivered' || status === 'undelivered') return status;
  throw new OutboxError('CORRUPT_RECORD', `a stored entry has the unknown status '${status}'`);
}

/** An entry as operators inspect it, with what its state adds (due time, delivery or failure time). */
export function toStoredEntry(row: PostgresEntryRow): StoredEntry {
  const entry: StoredEntry = {
    id: row.id,
    state: stateOf(row.status),
    topic: row.topic ?? undefined,
    event: decodeEvent(row.event),
    attributes: decodeAttributes(row.attributes),
    attempts: row.attempts,
    history: decodeHistory(row.history),
    enqueuedAt: row.enqueued_at,
  };
  if (row.ordering_key !== null) entry.orderingKey = row.ordering_key;
  switch (entry.state) {
    case 'pending':
      entry.claimed = row.claimed;
      entry.nextAttemptAt = row.claimed && row.locked_until !== null ? row.locked_until : row.available_at;
      break;
    case 'delivered':
      entry.deliveredAt = row.delivered_at ?? row.enqueued_at;
      break;
    case 'undelivered':
      entry.failedAt = row.failed_at ?? row.enqueued_at;
      break;
  }
  return entry;
}

/** A row the view selected as pending. */
export function toPendingEvent(row: PostgresEntryRow): PendingEvent {
  return toStoredEntry(row) as PendingEvent;
}

/** A row the view selected as undelivered. */
export function toUndeliveredEvent(row: PostgresEntryRow): UndeliveredEvent {
  return toStoredEntry(row) as UndeliveredEvent;
}

/** The row of the statistics statement (counts as integers, times as `timestamptz`). */
export interface PostgresStatsRow {
  pending: number;
  due: number;
  claimed: number;
  oldest_pending: Date | null;
  undelivered: number;
  oldest_failed: Date | null;
}

/** The statistics statement's row as {@link OutboxStats}. */
export function toOutboxStats(row: PostgresStatsRow | undefined): OutboxStats {
  return {
    pending: row?.pending ?? 0,
    due: row?.due ?? 0,
    claimed: row?.claimed ?? 0,
    oldestPendingEnqueuedAt: row?.oldest_pending ?? undefined,
    undelivered: row?.undelivered ?? 0,
    oldestUndeliveredFailedAt: row?.oldest_failed ?? undefined,
  };
}
