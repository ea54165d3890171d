import { randomUUID } from 'node:crypto';
import type { AttemptRecord, ClaimOptions, ClaimedEvent } from '../outbox-store.js';
import {
  appendAttempt,
  attemptBudget,
  decodeAttributes,
  decodeEvent,
  decodeHistory,
  encodeHistory,
  interruptedAttempt,
} from '../stored-record.js';
import type { SqliteOutboxRow } from './sqlite-rows.js';
import type { SqliteStatements } from './sqlite-statements.js';

/**
 * One claim, run inside a `BEGIN IMMEDIATE` transaction so no other relay claims at the same
 * time. First the entries whose lease ran out: each interrupted attempt is recorded as
 * `interrupted`; an entry whose budget that attempt spent goes to the undelivered store, and the
 * oldest other one is claimed alone. Only when none is left are due entries claimed, longest due
 * first, up to the limit; one that already had its last attempt goes to the undelivered store
 * unsent. An entry with an ordering key is due only while no earlier entry of its key is pending,
 * so a key's claimed entry is always its earliest pending one, and a lease that ran out is taken
 * over without a second look.
 */
export function claimSqliteRows(statements: SqliteStatements, options: ClaimOptions): ClaimedEvent[] {
  const budget = attemptBudget(options);
  const now = options.now.getTime();
  const lease = `${options.owner}/${randomUUID()}`;
  const lockedUntil = now + options.leaseMs;
  const claim = (row: SqliteOutboxRow, history: readonly AttemptRecord[]): ClaimedEvent => {
    const claimed: ClaimedEvent = {
      id: row.id,
      receipt: lease,
      event: decodeEvent(row.event),
      topic: row.topic ?? undefined,
      attributes: decodeAttributes(row.attributes),
      attempt: row.attempts + 1,
      history,
      enqueuedAt: new Date(row.enqueued_at),
    };
    if (row.ordering_key !== null) claimed.orderingKey = row.ordering_key;
    return claimed;
  };

  let alone: ClaimedEvent | undefined;
  for (const row of statements.expired.all({ now, limit: options.limit }) as SqliteOutboxRow[]) {
    const leaseEnd = row.locked_until ?? now;
    const history = appendAttempt(decodeHistory(row.history), interruptedAttempt(row.attempts, new Date(leaseEnd)));
    if (row.attempts >= budget) {
      statements.exhaust.run({ seq: row.seq, history: encodeHistory(history), at: leaseEnd });
    } else if (alone === undefined) {
      statements.leaseAgain.run({ seq: row.seq, history: encodeHistory(history), lease, lockedUntil });
      alone = claim(row, history);
    }
  }
  if (alone !== undefined) return [alone];

  const claimed: ClaimedEvent[] = [];
  for (const row of statements.due.all({ now, limit: options.limit }) as SqliteOutboxRow[]) {
    if (row.attempts >= budget) {
      statements.exhaust.run({ seq: row.seq, history: row.history, at: now });
    } else {
      statements.lease.run({ seq: row.seq, lease, lockedUntil });
      claimed.push(claim(row, decodeHistory(row.history)));
    }
  }
  return claimed;
}
