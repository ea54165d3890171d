import { readJson, writeJson } from '@events-protocol/core';
import type { PublishedEvent } from '@events-protocol/publish';
import { OutboxError } from './outbox-error.js';
import {
  maxKeptAttempts,
  type AttemptFailure,
  type AttemptRecord,
  type ClaimOptions,
  type ClaimedEvent,
  type UndeliveredFilter,
} from './outbox-store.js';

// How every store writes and reads its records, so all three keep the same shapes. Events are
// stored as JSON text written by `writeJson`, so 64-bit integers keep all their digits.

/** The default page size of `listUndelivered`. */
export const defaultPageSize = 100;

/** Serialises an event for storage. */
export function encodeEvent(event: PublishedEvent): string {
  return writeJson(event);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function corrupt(what: string, cause?: unknown): OutboxError {
  return new OutboxError('CORRUPT_RECORD', `a stored ${what} could not be read`, { cause });
}

function parse(text: string, what: string): unknown {
  try {
    return readJson(text);
  } catch (error) {
    throw corrupt(what, error);
  }
}

/**
 * Reads a stored event back.
 *
 * @throws {OutboxError} `CORRUPT_RECORD` when the text is not a stored event.
 */
export function decodeEvent(text: string): PublishedEvent {
  const value = parse(text, 'event');
  if (!isRecord(value) || typeof value.id !== 'string' || typeof value.name !== 'string') throw corrupt('event');
  return value as unknown as PublishedEvent;
}

/**
 * Reads stored attributes back.
 *
 * @throws {OutboxError} `CORRUPT_RECORD` when they are not an object of strings.
 */
export function decodeAttributes(text: string): Record<string, string> {
  const value = parse(text, 'attribute set');
  if (!isRecord(value) || Object.values(value).some((item) => typeof item !== 'string')) throw corrupt('attribute set');
  return value as Record<string, string>;
}

/**
 * Reads a stored attempt history back.
 *
 * @throws {OutboxError} `CORRUPT_RECORD` when it is not a list of attempt records.
 */
export function decodeHistory(text: string): AttemptRecord[] {
  const value = parse(text, 'attempt history');
  if (
    !Array.isArray(value) ||
    !value.every(
      (item) =>
        isRecord(item) &&
        typeof item.attempt === 'number' &&
        typeof item.at === 'string' &&
        typeof item.outcome === 'string',
    )
  ) {
    throw corrupt('attempt history');
  }
  return value as AttemptRecord[];
}

/** Serialises a history for storage, keeping the newest {@link maxKeptAttempts} records. */
export function encodeHistory(history: readonly AttemptRecord[]): string {
  return JSON.stringify(history.length > maxKeptAttempts ? history.slice(-maxKeptAttempts) : history);
}

/** A history with one more record, the oldest dropped past {@link maxKeptAttempts}. */
export function appendAttempt(history: readonly AttemptRecord[], attempt: AttemptRecord): AttemptRecord[] {
  const next = [...history, attempt];
  return next.length > maxKeptAttempts ? next.slice(-maxKeptAttempts) : next;
}

/** Turns whatever a sink threw into the failure kept with its attempt. */
export function describeFailure(error: unknown): AttemptFailure {
  if (!(error instanceof Error)) return { message: String(error) };
  const described: AttemptFailure = { message: error.message, name: error.name };
  if ('code' in error && typeof error.code === 'string') described.code = error.code;
  return described;
}

/** The record of a failed attempt that started at `at` and took `durationMs`. */
export function failedAttempt(error: unknown, attempt: number, at: Date, durationMs = 0): AttemptRecord {
  const record: AttemptRecord = {
    attempt,
    at: at.toISOString(),
    durationMs,
    outcome: 'failed',
    error: describeFailure(error),
  };
  const reported = error as { status?: unknown; responseExcerpt?: unknown } | null;
  if (typeof reported?.status === 'number') record.status = reported.status;
  if (typeof reported?.responseExcerpt === 'string') record.responseExcerpt = reported.responseExcerpt;
  return record;
}

/** What every interrupted attempt is recorded with, apart from its number and time. */
export const leaseExpired = {
  name: 'LeaseExpired',
  code: 'LEASE_EXPIRED',
  message: 'the attempt was interrupted: its lease expired before a relay recorded the outcome',
} as const;

/** The record of an attempt whose relay never settled it: it crashed, stopped or took too long. */
export function interruptedAttempt(attempt: number, leaseEnd: Date): AttemptRecord {
  return { attempt, at: leaseEnd.toISOString(), durationMs: 0, outcome: 'interrupted', error: { ...leaseExpired } };
}

/**
 * Whether the attempt before this claim was interrupted. Stores claim such an entry alone, so a
 * poison event that kills its relay cannot take the rest of a batch down with it again.
 */
export function retriesInterruptedAttempt(claimed: ClaimedEvent): boolean {
  const last = claimed.history.at(-1);
  return last?.outcome === 'interrupted' && last.attempt === claimed.attempt - 1;
}

/**
 * A claim's retry budget as a number: unbounded when absent.
 *
 * @throws {OutboxError} `INVALID_OPTIONS` unless `maxAttempts` is a positive integer.
 */
export function attemptBudget(options: ClaimOptions): number {
  const budget = options.maxAttempts ?? Number.MAX_SAFE_INTEGER;
  if (!Number.isSafeInteger(budget) || budget < 1) {
    throw new OutboxError('INVALID_OPTIONS', `maxAttempts must be a positive integer, got ${String(budget)}`);
  }
  return budget;
}

/** Whether an undelivered event that failed at `failedAt` under `topic` matches `filter`. */
export function matchesFilter(filter: UndeliveredFilter, topic: string | undefined, failedAt: number): boolean {
  if (filter.topic !== undefined && filter.topic !== topic) return false;
  if (filter.since !== undefined && failedAt < filter.since.getTime()) return false;
  if (filter.until !== undefined && failedAt >= filter.until.getTime()) return false;
  return true;
}

/**
 * Reads the `cursor` of a SQL store's page: the row sequence number its `nextCursor` gave, or 0
 * for the first page. A cursor the store never gave would select nothing and look like an empty
 * outbox, so it is refused.
 *
 * @throws {OutboxError} `INVALID_OPTIONS` for anything but a sequence number.
 */
export function readSequenceCursor(cursor: string | undefined): string {
  if (cursor === undefined) return '0';
  if (!/^\d{1,19}$/.test(cursor)) {
    throw new OutboxError('INVALID_OPTIONS', `cursor '${cursor}' is not one this store gave as nextCursor`);
  }
  return cursor;
}

const identifier = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * Checks a table name given in options, since it is written into SQL.
 *
 * @throws {OutboxError} `INVALID_OPTIONS` for anything but a plain identifier.
 */
export function checkTableName(table: string): string {
  if (!identifier.test(table)) {
    throw new OutboxError('INVALID_OPTIONS', `table must be a plain SQL identifier, got '${table}'`);
  }
  return table;
}

/**
 * Checks a page size.
 *
 * @throws {OutboxError} `INVALID_OPTIONS` unless it is an integer from 1 to 10,000.
 */
export function checkLimit(limit: number | undefined): number {
  const value = limit ?? defaultPageSize;
  if (!Number.isInteger(value) || value < 1 || value > 10_000) {
    throw new OutboxError('INVALID_OPTIONS', `limit must be an integer from 1 to 10000, got ${String(limit)}`);
  }
  return value;
}

/** An entry's key: its own `id`, or its event's. */
export function entryIdOf(entry: { id?: string | undefined; event: { id: string } }): string {
  return entry.id ?? entry.event.id;
}
