import { expect } from 'vitest';
import type { AttemptRecord, ClaimedEvent, OutboxEntry, OutboxStore, Settlement } from '@events-protocol/outbox';
import { orderEvent } from './events.js';

/** Opens a fresh, empty store for one test; the contract closes it. */
export type OpenStore = () => Promise<OutboxStore>;

/** What a store tells the contract about itself. */
export interface StoreContractOptions {
  /**
   * Opens a second store object on the same database (table, prefix) as `store`, with its own
   * connections. The contract closes it.
   */
  openBeside?: (store: OutboxStore) => Promise<OutboxStore>;
  /**
   * Whether an enqueue through one store object wakes `waitForEntries` of another on the same
   * database (PostgreSQL's LISTEN, a Redis wake-up). Needs `openBeside`.
   */
  crossConnectionWakeUps?: boolean;
}

/** The fixed time tests enqueue at. */
export const t0 = new Date('2026-01-01T00:00:00Z');

/** `ms` after {@link t0}. */
export const at = (ms: number): Date => new Date(t0.getTime() + ms);

/** A failed attempt as an HTTP sink reports it. */
export function failure(attempt: number, message = 'receiver said 503', start = t0): AttemptRecord {
  return {
    attempt,
    at: start.toISOString(),
    durationMs: 12 + attempt,
    outcome: 'failed',
    status: 503,
    responseExcerpt: `busy ${attempt}`,
    error: { message, name: 'PublishError', code: 'FAILED' },
  };
}

/** A delivered attempt as an HTTP sink reports it. */
export function delivered(attempt: number, start = t0): AttemptRecord {
  return { attempt, at: start.toISOString(), durationMs: 7, outcome: 'delivered', status: 200, responseExcerpt: 'ok' };
}

/** What a store records for an attempt whose lease expired unsettled. */
export function leaseExpired(attempt: number): AttemptRecord {
  return {
    attempt,
    at: expect.any(String) as string,
    durationMs: 0,
    outcome: 'interrupted',
    error: { name: 'LeaseExpired', code: 'LEASE_EXPIRED', message: expect.any(String) as string },
  };
}

/** An entry of `orderEvent(index)`, enqueued at {@link t0}. */
export function entryOf(index: number, topic?: string, extra: Partial<OutboxEntry> = {}): OutboxEntry {
  return { event: orderEvent(index), topic, attributes: { tenant: 'acme' }, enqueuedAt: t0, ...extra };
}

/** Opens, runs, and always closes. */
export function storeTest(open: OpenStore, test: (store: OutboxStore) => Promise<void>): () => Promise<void> {
  return async () => {
    const store = await open();
    try {
      await test(store);
    } finally {
      await store.close();
    }
  };
}

/** Enqueues `orderEvent(index)` and expects it to be new. */
export async function enqueue(store: OutboxStore, index: number, topic?: string): Promise<void> {
  expect(await store.enqueue(entryOf(index, topic))).toBe(true);
}

/** Claims exactly one entry. */
export async function claimOne(
  store: OutboxStore,
  now: Date,
  leaseMs = 60_000,
  owner = 'relay-a',
): Promise<ClaimedEvent> {
  const [claimed, ...rest] = await store.claim({ limit: 10, leaseMs, now, owner });
  expect(rest).toEqual([]);
  expect(claimed).toBeDefined();
  return claimed!;
}

/** Settles one claim and returns its flag. */
export async function settleOne(store: OutboxStore, settlement: Settlement, now = new Date()): Promise<boolean> {
  const flags = await store.settle([settlement], now);
  expect(flags).toHaveLength(1);
  return flags[0]!;
}

/** Enqueues `orderEvent(index)` under `topic` and makes it undelivered at `failedAt`. */
export async function undeliver(store: OutboxStore, index: number, topic: string, failedAt: Date): Promise<void> {
  await enqueue(store, index, topic);
  const claimed = await claimOne(store, new Date());
  expect(await settleOne(store, { claimed, attempt: failure(1), next: 'undelivered' }, failedAt)).toBe(true);
}
