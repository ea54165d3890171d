import type Database from 'better-sqlite3';
import { setTimeout as sleep } from 'node:timers/promises';
import { OutboxError } from '../outbox-error.js';
import { toStoreError } from '../store-error.js';
import { classifySqliteError } from './sqlite-busy.js';

/**
 * Runs synchronous better-sqlite3 work as a promise, so its errors reject rather than throw; a
 * lock another connection held past the busy timeout rejects as the retryable `STORE_BUSY`. The
 * work runs before this returns, inside whatever transaction the connection has open.
 */
export function runNow<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    const failure = toStoreError('sqlite', error, classifySqliteError(error));
    return Promise.reject(failure instanceof Error ? failure : new Error(String(failure)));
  }
}

/**
 * Runs work of the store's own on its connection once no caller's transaction is open there. A
 * caller that shares the store's connection and holds `BEGIN` across an `await` must not have
 * the store's claims, settlements or reads join its transaction: a relay would publish an entry
 * that the caller's ROLLBACK then takes back. So the store waits, as it would for another
 * connection's lock, up to the busy timeout, and then fails with the retryable `STORE_BUSY`.
 */
export async function runWhenIdle<T>(database: Database.Database, busyTimeoutMs: number, work: () => T): Promise<T> {
  const deadline = Date.now() + busyTimeoutMs;
  for (let delayMs = 1; inCallersTransaction(database); delayMs = Math.min(delayMs * 2, 20)) {
    if (Date.now() >= deadline) {
      throw new OutboxError(
        'STORE_BUSY',
        `the sqlite outbox store's connection stayed in a caller's transaction for longer than ${busyTimeoutMs} ms`,
      );
    }
    await sleep(delayMs);
  }
  if (!database.open) throw new OutboxError('CLOSED', "the sqlite outbox store's database is closed");
  return runNow(work);
}

/** Whether a transaction is open on `database`: never one of the store's own, which end before they return. */
function inCallersTransaction(database: Database.Database): boolean {
  return database.open && database.inTransaction;
}
