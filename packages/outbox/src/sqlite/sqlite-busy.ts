import { errorCode, type StoreFailure } from '../store-error.js';

/**
 * Classifies a better-sqlite3 error: `busy` when another connection held the lock past the busy
 * timeout (`SQLITE_BUSY` and its extended codes such as `SQLITE_BUSY_SNAPSHOT`, or `SQLITE_LOCKED`).
 */
export function classifySqliteError(error: unknown): StoreFailure {
  const code = errorCode(error);
  return code !== undefined && /^SQLITE_(BUSY|LOCKED)(_|$)/.test(code) ? 'busy' : undefined;
}
