import type { RedeliverSelection } from '../outbox-store.js';
import { filterParameters } from './sqlite-rows.js';
import type { SqliteStatements } from './sqlite-statements.js';

/**
 * Makes selected undelivered entries due again with fresh attempts, to be run inside one
 * transaction; resolves to how many. An entry with an ordering key rejoins its key at the end,
 * behind every entry of the key pending now (in their earlier order when several of one key are
 * redelivered): it gets a sequence number after every other, so the one claimable entry of a key
 * never changes under a relay that holds it.
 */
export function redeliverSqliteRows(statements: SqliteStatements, selection: RedeliverSelection, now: Date): number {
  const at = now.getTime();
  let count = 0;
  let moved = false;
  if ('ids' in selection) {
    for (const id of selection.ids) {
      if (statements.redeliverId.run({ id, now: at }).changes !== 1) continue;
      count++;
      moved = statements.moveToEnd.run({ id }).changes === 1 || moved;
    }
  } else {
    const parameters = filterParameters(selection);
    const keyed = statements.keyedUndelivered.pluck().all(parameters) as string[];
    count = statements.redeliverFiltered.run({ ...parameters, now: at }).changes;
    for (const id of keyed) moved = statements.moveToEnd.run({ id }).changes === 1 || moved;
  }
  if (moved) statements.syncSequence.run();
  return count;
}
