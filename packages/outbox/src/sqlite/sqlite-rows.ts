import type {
  EntryState,
  OutboxStats,
  PendingEvent,
  StoredEntry,
  UndeliveredEvent,
  UndeliveredFilter,
} from '../outbox-store.js';
import { decodeAttributes, decodeEvent, decodeHistory } from '../stored-record.js';

/** The SQLite row of one outbox entry (times in ms since the epoch). */
export interface SqliteOutboxRow {
  seq: number;
  id: string;
  topic: string | null;
  event: string;
  attributes: string;
  status: EntryState;
  /** Attempts made so far, interrupted ones included. */
  attempts: number;
  /** The kept attempt records as JSON, oldest first. */
  history: string;
  enqueued_at: number;
  /** When it is due; for a claimed entry, when its lease ends. */
  available_at: number;
  locked_until: number | null;
  lease: string | null;
  delivered_at: number | null;
  failed_at: number | null;
  /** The entry's ordering key; `NULL` for an unordered entry (and every entry of an earlier version). */
  ordering_key: string | null;
}

/** A row as an operator sees it, in whatever state it is. */
export function toStoredEntry(row: SqliteOutboxRow, now = Date.now()): StoredEntry {
  const entry: StoredEntry = {
    id: row.id,
    state: row.status,
    topic: row.topic ?? undefined,
    event: decodeEvent(row.event),
    attributes: decodeAttributes(row.attributes),
    attempts: row.attempts,
    history: decodeHistory(row.history),
    enqueuedAt: new Date(row.enqueued_at),
  };
  if (row.ordering_key !== null) entry.orderingKey = row.ordering_key;
  switch (row.status) {
    case 'pending':
      entry.nextAttemptAt = new Date(row.locked_until ?? row.available_at);
      entry.claimed = row.lease !== null && (row.locked_until ?? 0) > now;
      break;
    case 'delivered':
      entry.deliveredAt = new Date(row.delivered_at ?? row.enqueued_at);
      break;
    case 'undelivered':
      entry.failedAt = new Date(row.failed_at ?? row.enqueued_at);
      break;
  }
  return entry;
}

/** A pending row as {@link toStoredEntry} shows it. */
export function toPending(row: SqliteOutboxRow): PendingEvent {
  return toStoredEntry(row) as PendingEvent;
}

/** An undelivered row as {@link toStoredEntry} shows it. */
export function toUndelivered(row: SqliteOutboxRow): UndeliveredEvent {
  return toStoredEntry(row) as UndeliveredEvent;
}

/** The named parameters of a filter in SQL (`NULL` where it does not restrict). */
export function filterParameters(filter: UndeliveredFilter): Record<string, number | string | null> {
  return {
    topic: filter.topic ?? null,
    since: filter.since?.getTime() ?? null,
    until: filter.until?.getTime() ?? null,
  };
}

/** The row of the statistics statement. */
interface SqliteStatsRow {
  pending: number;
  due: number;
  claimed: number;
  oldestPending: number | null;
  undelivered: number;
  oldestFailed: number | null;
}

/** The statistics statement's row as {@link OutboxStats}. */
export function sqliteStats(row: unknown): OutboxStats {
  const counts = row as SqliteStatsRow;
  return {
    pending: counts.pending,
    due: counts.due,
    claimed: counts.claimed,
    oldestPendingEnqueuedAt: counts.oldestPending === null ? undefined : new Date(counts.oldestPending),
    undelivered: counts.undelivered,
    oldestUndeliveredFailedAt: counts.oldestFailed === null ? undefined : new Date(counts.oldestFailed),
  };
}
