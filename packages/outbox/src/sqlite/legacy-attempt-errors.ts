import type { AttemptFailure, AttemptRecord } from '../outbox-store.js';
import { encodeHistory, leaseExpired } from '../stored-record.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * One attempt error as earlier versions stored it (`{attempt, at, message, name?, code?}`) turned
 * into an attempt record: `interrupted` for an expired lease, `failed` otherwise, its duration
 * unknown (0). `undefined` for anything that is not such an error.
 */
export function attemptRecordOfLegacyError(value: unknown): AttemptRecord | undefined {
  if (!isRecord(value) || typeof value.attempt !== 'number' || typeof value.at !== 'string') return undefined;
  const error: AttemptFailure = { message: typeof value.message === 'string' ? value.message : String(value.message) };
  if (typeof value.name === 'string') error.name = value.name;
  if (typeof value.code === 'string') error.code = value.code;
  const outcome = error.code === leaseExpired.code ? 'interrupted' : 'failed';
  return { attempt: value.attempt, at: value.at, durationMs: 0, outcome, error };
}

/**
 * The `history` column's text for the `errors` column of an earlier version, the newest records
 * kept as for any history; `undefined` when the text is not a list of attempt errors, so the
 * caller can leave what it cannot read where it is.
 */
export function historyOfLegacyErrors(text: string): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(value)) return undefined;
  const records = value.map(attemptRecordOfLegacyError);
  if (!records.every((record) => record !== undefined)) return undefined;
  return encodeHistory(records);
}
