import type { OutboxEntry, Settlement } from '../outbox-store.js';
import { encodeEvent, encodeHistory, entryIdOf } from '../stored-record.js';

/** The parameters of one insert of many entries, and how to read its result back per entry. */
export interface InsertPlan {
  /** The statement's parallel arrays, one element per distinct entry id (the channel not included). */
  values: unknown[];
  /** Each entry's id, in the caller's order. */
  ids: string[];
  /** Whether each entry is the first of its id in the batch: a repeat is never stored. */
  first: boolean[];
}

/**
 * Builds the parameters of the `insert` statement for `entries`, encoding every event first: one
 * that cannot be written as JSON throws before anything reaches the database, so a batch is
 * stored whole or not at all. A repeated id is sent once, as its first entry.
 */
export function planInsert(entries: readonly OutboxEntry[]): InsertPlan {
  const columns: unknown[][] = Array.from({ length: 11 }, () => []);
  const [ids, topics, events, attributes, enqueuedAt, availableAt, statuses, attempts, histories, failedAt, keys] =
    columns as [
      string[],
      (string | null)[],
      string[],
      string[],
      Date[],
      Date[],
      string[],
      number[],
      string[],
      (Date | null)[],
      (string | null)[],
    ];
  const seen = new Set<string>();
  const plan: InsertPlan = { values: columns, ids: [], first: [] };
  for (const entry of entries) {
    const id = entryIdOf(entry);
    plan.ids.push(id);
    plan.first.push(!seen.has(id));
    if (seen.has(id)) continue;
    seen.add(id);
    ids.push(id);
    topics.push(entry.topic ?? null);
    events.push(encodeEvent(entry.event));
    attributes.push(JSON.stringify(entry.attributes));
    enqueuedAt.push(entry.enqueuedAt);
    keys.push(entry.orderingKey ?? null);
    if (entry.failure === undefined) {
      availableAt.push(entry.availableAt ?? entry.enqueuedAt);
      statuses.push('pending');
      attempts.push(0);
      histories.push('[]');
      failedAt.push(null);
    } else {
      availableAt.push(entry.enqueuedAt);
      statuses.push('undelivered');
      attempts.push(1);
      histories.push(encodeHistory([entry.failure]));
      failedAt.push(new Date(entry.failure.at));
    }
  }
  return plan;
}

/** One flag per entry of `plan`: stored now (its id came back from the insert) or not. */
export function storedFlags(plan: InsertPlan, storedIds: Iterable<string>): boolean[] {
  const stored = new Set(storedIds);
  return plan.ids.map((id, index) => plan.first[index] === true && stored.has(id));
}

/**
 * The `settle` statement's batch as one JSON document of rows: the position in the batch (what
 * comes back for a settlement that applied), the claim (entry id and lease), what follows, the
 * attempt record, and the next due time of a retry.
 */
export function settlementsParameter(settlements: readonly Settlement[]): string {
  return JSON.stringify(
    settlements.map((settlement, position) => ({
      position,
      id: settlement.claimed.id,
      lease: settlement.claimed.receipt,
      next: settlement.next,
      attempt: settlement.attempt,
      due: settlement.next === 'retry' ? settlement.nextAttemptAt.toISOString() : null,
    })),
  );
}

/** One flag per settlement: whether its position came back from the `settle` statement. */
export function settledFlags(count: number, positions: Iterable<number>): boolean[] {
  const flags = Array.from({ length: count }, () => false);
  for (const position of positions) flags[position] = true;
  return flags;
}
