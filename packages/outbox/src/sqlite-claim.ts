import { randomUUID } from 'node:crypto';
import type { ClaimOptions, ClaimedEvent } from './outbox-store.js';
import type { SqliteStatements } from './sqlite-statements.js';
import { attemptBudget, decodeAttributes, decodeErrors, decodeEvent, interruptedAttempt } from './stored-record.js';

/** The columns of a SQLite outbox row a claim reads (times in ms since the epoch). */
interface ClaimRow {
  seq: number;
  event: string;
  topic: string | null;
  attributes: string;
  attempts: number;
  errors: string;
  enqueued_at: number;
  locked_until: number | null;
}

/**
 * One claim, run inside a `BEGIN IMMEDIATE` transaction so no other relay claims at the same
 * time. First the events whose lease ran out: each interrupted attempt is recorded as
 * `LEASE_EXPIRED`; an event whose budget that attempt spent goes to the undelivered store, and
 * the oldest other one is claimed alone. Only when none is left are due events claimed, up to
 * the limit; one that already had its last attempt goes to the undelivered store unsent.
 */
export function claimSqliteRows(statements: SqliteStatements, options: ClaimOptions): ClaimedEvent[] {
  const budget = attemptBudget(options);
  const now = options.now.getTime();
  const lease = `${options.owner}/${randomUUID()}`;
  const lockedUntil = now + options.leaseMs;
  const claim = (row: ClaimRow, errors = decodeErrors(row.errors)): ClaimedEvent => ({
    receipt: lease,
    event: decodeEvent(row.event),
    topic: row.topic ?? undefined,
    attributes: decodeAttributes(row.attributes),
    attempt: row.attempts + 1,
    errors,
    enqueuedAt: new Date(row.enqueued_at),
  });

  let alone: ClaimedEvent | undefined;
  for (const row of statements.expired.all({ now, limit: options.limit }) as ClaimRow[]) {
    const leaseEnd = row.locked_until ?? now;
    const errors = [...decodeErrors(row.errors), interruptedAttempt(row.attempts, new Date(leaseEnd))];
    if (row.attempts >= budget) {
      statements.exhaust.run({ seq: row.seq, errors: JSON.stringify(errors), at: leaseEnd });
    } else if (alone === undefined) {
      statements.leaseAgain.run({ seq: row.seq, errors: JSON.stringify(errors), lease, lockedUntil });
      alone = claim(row, errors);
    }
  }
  if (alone !== undefined) return [alone];

  const claimed: ClaimedEvent[] = [];
  for (const row of statements.due.all({ now, limit: options.limit }) as ClaimRow[]) {
    if (row.attempts >= budget) {
      statements.exhaust.run({ seq: row.seq, errors: row.errors, at: now });
    } else {
      statements.lease.run({ seq: row.seq, lease, lockedUntil });
      claimed.push(claim(row));
    }
  }
  return claimed;
}
