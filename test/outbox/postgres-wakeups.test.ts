import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { PostgresOutboxStore } from '@events-protocol/outbox/postgres';
import { freePort } from '../support/free-port.js';
import { orderEvent } from './events.js';
import { recordProcessFailures } from './process-failures.js';
import { postgresWithAdmin } from './postgres-with-admin.js';
import { endsWithin, generousMs, longWaitMs } from './wait-ends.js';

// How waitForEntries hears of enqueues: one LISTEN connection per store, shared by its waits,
// that survives being terminated and is released on close.

const postgres = postgresWithAdmin();
let tables = 0;

/** The backends listening on `channel`, found by their last statement. */
async function listeners(channel: string): Promise<number[]> {
  const { rows } = await postgres.admin.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity WHERE query = $1 AND pid <> pg_backend_pid()`,
    [`LISTEN "${channel}"`],
  );
  return rows.map((row) => row.pid);
}

async function waitForListeners(channel: string, count: number): Promise<number[]> {
  for (let waited = 0; waited < generousMs; waited += 20) {
    const pids = await listeners(channel);
    if (pids.length === count) return pids;
    await sleep(20);
  }
  throw new Error(`never saw ${count} listeners on ${channel}`);
}

const failedAttempt = {
  attempt: 1,
  at: new Date().toISOString(),
  durationMs: 5,
  outcome: 'failed',
  error: { message: 'receiver said 503' },
} as const;

function entry(index: number) {
  return { event: orderEvent(index), topic: undefined, attributes: {}, enqueuedAt: new Date() };
}

async function withStores(
  test: (store: PostgresOutboxStore, producer: PostgresOutboxStore, table: string) => Promise<void>,
): Promise<void> {
  const table = `wake_${++tables}`;
  const store = new PostgresOutboxStore({ pool: postgres.url, table });
  const producer = new PostgresOutboxStore({ pool: postgres.url, table });
  await producer.setup();
  try {
    await test(store, producer, table);
  } finally {
    await Promise.all([store.close(), producer.close()]);
  }
}

describe('PostgreSQL wake-ups', () => {
  it('share one listening connection among all the waits of a store', () =>
    withStores(async (store, producer, table) => {
      const stop = new AbortController();
      const waits = Array.from({ length: 20 }, () => store.waitForEntries(longWaitMs, stop.signal));
      try {
        expect(await waitForListeners(table, 1)).toHaveLength(1);
        expect(await producer.enqueue(entry(1))).toBe(true);
        expect(
          await endsWithin(
            Promise.all(waits).then(() => undefined),
            generousMs,
          ),
        ).toBe(true);
        expect(await listeners(table)).toHaveLength(1);
      } finally {
        stop.abort();
      }
    }));

  it('survive the listening backend being terminated, while waiting and while idle', () =>
    withStores(async (store, producer, table) => {
      using failures = recordProcessFailures();
      const stop = new AbortController();
      try {
        // Terminated while a relay waits: the wait ends (commits may go unheard until it listens again).
        const waiting = store.waitForEntries(longWaitMs, stop.signal);
        const [first] = await waitForListeners(table, 1);
        await postgres.admin.query('SELECT pg_terminate_backend($1)', [first]);
        expect(await endsWithin(waiting, generousMs)).toBe(true);

        // The next wait listens again, and hears a commit.
        const again = store.waitForEntries(longWaitMs, stop.signal);
        const [second] = await waitForListeners(table, 1);
        expect(second).not.toBe(first);
        expect(await endsWithin(again, 300)).toBe(false);
        expect(await producer.enqueue(entry(1))).toBe(true);
        expect(await endsWithin(again, generousMs)).toBe(true);

        // Terminated while nobody waits: an idle error must not crash the process.
        await postgres.admin.query('SELECT pg_terminate_backend($1)', [second]);
        await sleep(200);
        const third = store.waitForEntries(longWaitMs, stop.signal);
        await waitForListeners(table, 1);
        expect(await producer.enqueue(entry(2))).toBe(true);
        expect(await endsWithin(third, generousMs)).toBe(true);
        expect(failures.recorded).toEqual([]);
      } finally {
        stop.abort();
      }
    }));

  it('do not miss an enqueue committed between a claim and the wait after it', () =>
    withStores(async (store, producer, table) => {
      const stop = new AbortController();
      try {
        // A claim before the store ever listened: a commit before its LISTEN went unheard.
        expect(await store.claim({ limit: 10, leaseMs: 60_000, now: new Date(), owner: 'relay' })).toEqual([]);
        expect(await producer.enqueue(entry(1))).toBe(true);
        expect(await endsWithin(store.waitForEntries(longWaitMs, stop.signal), generousMs)).toBe(true);
        expect(await store.claim({ limit: 10, leaseMs: 60_000, now: new Date(), owner: 'relay' })).toHaveLength(1);

        // Listening: a commit after the claim started and before the wait began.
        await waitForListeners(table, 1);
        const claim = store.claim({ limit: 10, leaseMs: 60_000, now: new Date(), owner: 'relay' });
        expect(await producer.enqueue(entry(2))).toBe(true);
        await claim;
        await sleep(100); // the notification arrives while nobody waits
        expect(await endsWithin(store.waitForEntries(longWaitMs, stop.signal), generousMs)).toBe(true);
        // That notification is used up: the next wait sleeps until the next enqueue.
        const next = store.waitForEntries(longWaitMs, stop.signal);
        expect(await endsWithin(next, 300)).toBe(false);
      } finally {
        stop.abort();
      }
    }));

  it('wake a waiting relay when undelivered entries are made due again', () =>
    withStores(async (store, producer) => {
      const stop = new AbortController();
      try {
        expect(await producer.enqueue({ ...entry(1), failure: failedAttempt })).toBe(true);
        const wait = store.waitForEntries(longWaitMs, stop.signal);
        expect(await endsWithin(wait, 300)).toBe(false);
        expect(await producer.redeliver({}, new Date())).toBe(1);
        expect(await endsWithin(wait, generousMs)).toBe(true);
      } finally {
        stop.abort();
      }
    }));

  it('release the listening connection on close, ending every wait', async () => {
    const table = `wake_${++tables}`;
    const store = new PostgresOutboxStore({ pool: postgres.url, table });
    const wait = store.waitForEntries(longWaitMs, new AbortController().signal);
    await waitForListeners(table, 1);
    await store.close();
    expect(await endsWithin(wait, generousMs)).toBe(true);
    expect(await waitForListeners(table, 0)).toEqual([]);
    await store.waitForEntries(longWaitMs, new AbortController().signal); // closed: at once
  });

  it('wait their whole timeout without listening when told not to', async () => {
    const table = `wake_${++tables}`;
    const store = new PostgresOutboxStore({ pool: postgres.url, table, listen: false });
    const producer = new PostgresOutboxStore({ pool: postgres.url, table });
    try {
      await producer.setup();
      const started = Date.now();
      const wait = store.waitForEntries(700, new AbortController().signal);
      await sleep(100);
      expect(await producer.enqueue(entry(1))).toBe(true);
      await wait;
      expect(Date.now() - started).toBeGreaterThanOrEqual(690);
      expect(await listeners(table)).toEqual([]);
    } finally {
      await Promise.all([store.close(), producer.close()]);
    }
  });

  it('end at their timeout, without rejecting or crashing, when the server cannot be reached', async () => {
    using failures = recordProcessFailures();
    const port = await freePort();
    const store = new PostgresOutboxStore({ pool: `postgres://postgres@127.0.0.1:${port}/postgres` });
    try {
      for (let round = 0; round < 3; round++) {
        const started = Date.now();
        await store.waitForEntries(300, new AbortController().signal);
        expect(Date.now() - started).toBeGreaterThanOrEqual(290);
      }
      expect(failures.recorded).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
