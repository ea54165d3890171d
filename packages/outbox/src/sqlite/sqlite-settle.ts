import type { Settlement } from '../outbox-store.js';
import { appendAttempt, encodeHistory } from '../stored-record.js';
import type { SqliteStatements } from './sqlite-statements.js';

/**
 * Records a batch of outcomes, to be run inside one transaction: each settlement's attempt is
 * appended to the history its claim read, and the entry is delivered, due again or undelivered.
 * A settlement whose lease another relay has taken over matches no row and changes nothing.
 */
export function settleSqliteRows(
  statements: SqliteStatements,
  settlements: readonly Settlement[],
  now: Date,
): boolean[] {
  const at = now.getTime();
  return settlements.map((settlement) => {
    const { claimed } = settlement;
    const owner = {
      id: claimed.id,
      lease: claimed.receipt,
      history: encodeHistory(appendAttempt(claimed.history, settlement.attempt)),
    };
    switch (settlement.next) {
      case 'delivered':
        return statements.delivered.run({ ...owner, at }).changes === 1;
      case 'retry':
        return statements.retry.run({ ...owner, next: settlement.nextAttemptAt.getTime() }).changes === 1;
      case 'undelivered':
        return statements.undelivered.run({ ...owner, at }).changes === 1;
    }
  });
}
