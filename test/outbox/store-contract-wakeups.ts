import { describe, expect, it } from 'vitest';
import type { OutboxStore } from '@events-protocol/outbox';
import { enqueue, entryOf, storeTest, type OpenStore, type StoreContractOptions } from './store-contract-support.js';
import { endsWithin, generousMs, longWaitMs } from './wait-ends.js';

/** Whether `wait` is still waiting 200 ms from now. */
async function isStillWaiting(wait: Promise<void>): Promise<boolean> {
  return !(await endsWithin(wait, 200));
}

/** How a relay sleeps: until an enqueue, its timeout, or an abort. */
export function describeStoreWakeUps(name: string, open: OpenStore, options: StoreContractOptions): void {
  const withStore = (test: Parameters<typeof storeTest>[1]) => storeTest(open, test);

  async function withSecond(store: OutboxStore, test: (second: OutboxStore) => Promise<void>): Promise<void> {
    const second = await options.openBeside!(store);
    try {
      await test(second);
    } finally {
      await second.close();
    }
  }

  describe(`${name} outbox store wake-ups`, () => {
    it(
      'wakes a waiting relay when an entry is enqueued through the same store',
      withStore(async (store) => {
        await store.setup();
        const stop = new AbortController();
        const wait = store.waitForEntries(longWaitMs, stop.signal);
        try {
          expect(await isStillWaiting(wait)).toBe(true);
          await enqueue(store, 1);
          expect(await endsWithin(wait, generousMs)).toBe(true);
        } finally {
          stop.abort();
        }
      }),
    );

    it(
      'wakes a waiting relay when a batch is enqueued',
      withStore(async (store) => {
        await store.setup();
        const stop = new AbortController();
        const wait = store.waitForEntries(longWaitMs, stop.signal);
        try {
          expect(await isStillWaiting(wait)).toBe(true);
          expect(await store.enqueueBatch([entryOf(1), entryOf(2)])).toEqual([true, true]);
          expect(await endsWithin(wait, generousMs)).toBe(true);
        } finally {
          stop.abort();
        }
      }),
    );

    it(
      'ends a wait at its timeout when nothing is enqueued',
      withStore(async (store) => {
        await store.setup();
        const started = Date.now();
        await store.waitForEntries(300, new AbortController().signal);
        // Timers may fire a millisecond early; nothing else may end this wait.
        expect(Date.now() - started).toBeGreaterThanOrEqual(290);
      }),
    );

    it(
      'ends a wait at once when its signal aborts, or was aborted already',
      withStore(async (store) => {
        await store.setup();
        const stop = new AbortController();
        const wait = store.waitForEntries(longWaitMs, stop.signal);
        expect(await isStillWaiting(wait)).toBe(true);
        stop.abort();
        expect(await endsWithin(wait, generousMs)).toBe(true);
        expect(await endsWithin(store.waitForEntries(longWaitMs, stop.signal), generousMs)).toBe(true);
      }),
    );

    if (options.openBeside && options.crossConnectionWakeUps === true) {
      it(
        'wakes a relay waiting on another connection to the same database',
        withStore(async (store) => {
          await store.setup();
          await withSecond(store, async (second) => {
            const stop = new AbortController();
            const wait = second.waitForEntries(longWaitMs, stop.signal);
            try {
              expect(await isStillWaiting(wait)).toBe(true);
              await enqueue(store, 1);
              expect(await endsWithin(wait, generousMs)).toBe(true);
              expect(await second.pendingCount()).toBe(1);
            } finally {
              stop.abort();
            }
          });
        }),
      );
    } else if (options.openBeside) {
      it(
        'still ends the wait of another store object on the same database at its timeout',
        withStore(async (store) => {
          await store.setup();
          await withSecond(store, async (second) => {
            const wait = second.waitForEntries(500, new AbortController().signal);
            await enqueue(store, 1);
            expect(await endsWithin(wait, generousMs)).toBe(true);
            expect(await second.pendingCount()).toBe(1);
          });
        }),
      );
    }
  });
}
