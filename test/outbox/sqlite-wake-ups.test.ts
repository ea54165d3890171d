import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OutboxEntry } from '@events-protocol/outbox';
import { SqliteOutboxStore } from '@events-protocol/outbox/sqlite';
import { orderEvent } from './events.js';
import { endsWithin, generousMs, longWaitMs } from './wait-ends.js';

// How a relay on SQLite sleeps: besides enqueues in this process (the store contract), it wakes
// when the next scheduled entry, retry or lease end falls due, and never misses an enqueue that
// happened between its last claim and its wait.

let directory: string;
let filename: string;
const stores: SqliteOutboxStore[] = [];
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'outbox-sqlite-wake-'));
  filename = join(directory, 'outbox.db');
});
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  await rm(directory, { recursive: true, force: true });
});

function open(): SqliteOutboxStore {
  const store = new SqliteOutboxStore({ filename });
  stores.push(store);
  return store;
}

const entry = (index: number, extra: Partial<OutboxEntry> = {}): OutboxEntry => ({
  event: orderEvent(index),
  topic: undefined,
  attributes: {},
  enqueuedAt: new Date(),
  ...extra,
});

describe('SQLite wake-ups', () => {
  it('wakes when a scheduled entry falls due, with no enqueue', async () => {
    const store = open();
    const availableAt = new Date(Date.now() + 400);
    expect(await store.enqueue(entry(1, { availableAt }))).toBe(true);
    expect(await store.claim({ limit: 10, leaseMs: 60_000, now: new Date(), owner: 'relay' })).toEqual([]);
    const stop = new AbortController();
    const wait = store.waitForEntries(longWaitMs, stop.signal);
    try {
      expect(await endsWithin(wait, 200)).toBe(false);
      expect(await endsWithin(wait, generousMs)).toBe(true);
      expect(Date.now()).toBeGreaterThanOrEqual(availableAt.getTime() - 5);
      const claimed = await store.claim({ limit: 10, leaseMs: 60_000, now: new Date(), owner: 'relay' });
      expect(claimed.map((item) => item.id)).toEqual(['run-1']);
    } finally {
      stop.abort();
    }
  });

  it('wakes when a lease ends, so an interrupted attempt is retried without waiting for a poll', async () => {
    const store = open();
    expect(await store.enqueue(entry(1))).toBe(true);
    expect(await store.claim({ limit: 10, leaseMs: 400, now: new Date(), owner: 'crashed' })).toHaveLength(1);
    expect(await store.claim({ limit: 10, leaseMs: 400, now: new Date(), owner: 'relay' })).toEqual([]);
    const stop = new AbortController();
    try {
      expect(await endsWithin(store.waitForEntries(longWaitMs, stop.signal), generousMs)).toBe(true);
      const [retried] = await store.claim({ limit: 10, leaseMs: 60_000, now: new Date(), owner: 'relay' });
      expect(retried).toMatchObject({ id: 'run-1', attempt: 2 });
    } finally {
      stop.abort();
    }
  });

  it('ends a wait at once when an entry was enqueued after the last claim', async () => {
    const relay = open();
    const producer = open();
    expect(await relay.claim({ limit: 10, leaseMs: 60_000, now: new Date(), owner: 'relay' })).toEqual([]);
    expect(await producer.enqueue(entry(1))).toBe(true);
    const stop = new AbortController();
    try {
      expect(await endsWithin(relay.waitForEntries(longWaitMs, stop.signal), generousMs)).toBe(true);
      expect(await relay.claim({ limit: 10, leaseMs: 60_000, now: new Date(), owner: 'relay' })).toHaveLength(1);
      // Claimed since: nothing new, so the next wait sleeps again.
      expect(await endsWithin(relay.waitForEntries(longWaitMs, stop.signal), 200)).toBe(false);
    } finally {
      stop.abort();
    }
  });

  it('does not wake for an enqueue of an id already stored', async () => {
    const store = open();
    expect(await store.enqueue(entry(1, { availableAt: new Date(Date.now() + longWaitMs * 2) }))).toBe(true);
    expect(await store.claim({ limit: 10, leaseMs: 60_000, now: new Date(), owner: 'relay' })).toEqual([]);
    const stop = new AbortController();
    const wait = store.waitForEntries(longWaitMs, stop.signal);
    try {
      expect(await store.enqueue(entry(1))).toBe(false);
      expect(await endsWithin(wait, 200)).toBe(false);
    } finally {
      stop.abort();
    }
  });

  it('never rejects, even after close', async () => {
    const store = open();
    await store.close();
    const started = Date.now();
    await expect(store.waitForEntries(100, new AbortController().signal)).resolves.toBeUndefined();
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
  });
});
