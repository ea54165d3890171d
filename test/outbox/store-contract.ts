import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { orderEvent } from './events.js';
import { describeStoreAttempts } from './store-contract-attempts.js';
import { describeStoreOrdering } from './store-contract-ordering.js';
import { describeStoreStats } from './store-contract-stats.js';
import { describeStoreViews } from './store-contract-views.js';
import { describeStoreWakeUps } from './store-contract-wakeups.js';
import {
  claimOne,
  delivered,
  enqueue,
  entryOf,
  failure,
  leaseExpired,
  settleOne,
  storeTest,
  type OpenStore,
  type StoreContractOptions,
} from './store-contract-support.js';

export type { OpenStore, StoreContractOptions } from './store-contract-support.js';

/**
 * The behaviour every `OutboxStore` shares, run against each store on a real database.
 * Claims use real time for leases: Redis measures idle time on its own clock, against the lease
 * of the relay that claims again, so every relay of one stream uses the same `leaseMs`.
 */
export function describeStoreContract(name: string, open: OpenStore, options: StoreContractOptions = {}): void {
  const withStore = (test: Parameters<typeof storeTest>[1]) => storeTest(open, test);

  describe(`${name} outbox store`, () => {
    it(
      'claims an enqueued event once, with its topic, attributes and big integers intact',
      withStore(async (store) => {
        await enqueue(store, 1, 'orders');
        expect(await store.pendingCount()).toBe(1);
        const claimed = await claimOne(store, new Date());
        expect(claimed).toMatchObject({
          id: 'run-1',
          topic: 'orders',
          attributes: { tenant: 'acme' },
          attempt: 1,
          history: [],
        });
        expect(claimed.event).toEqual(orderEvent(1));
        expect(await store.claim({ limit: 10, leaseMs: 60_000, now: new Date(), owner: 'relay-b' })).toEqual([]);
        expect(await settleOne(store, { claimed, attempt: delivered(1), next: 'delivered' })).toBe(true);
        expect(await store.pendingCount()).toBe(0);
      }),
    );

    it(
      'keys entries by their own id when given one, and says whether each enqueue stored it',
      withStore(async (store) => {
        expect(await store.enqueue(entryOf(1, 'hooks', { id: 'delivery-a' }))).toBe(true);
        expect(await store.enqueue(entryOf(1, 'hooks', { id: 'delivery-b' }))).toBe(true);
        expect(await store.enqueue(entryOf(1, 'hooks', { id: 'delivery-a' }))).toBe(false);
        expect(await store.pendingCount()).toBe(2);
        expect(await store.getEntry('run-1')).toBeUndefined();
        expect(await store.getEntry('delivery-b')).toMatchObject({
          id: 'delivery-b',
          state: 'pending',
          event: orderEvent(1),
        });
        const claimed = await store.claim({ limit: 10, leaseMs: 60_000, now: new Date(), owner: 'relay-a' });
        expect(claimed.map((entry) => [entry.id, entry.event.id])).toEqual([
          ['delivery-a', 'run-1'],
          ['delivery-b', 'run-1'],
        ]);
        expect(
          await store.settle([{ claimed: claimed[0]!, attempt: failure(1), next: 'undelivered' }], new Date()),
        ).toEqual([true]);
        expect((await store.listUndelivered()).events.map((entry) => entry.id)).toEqual(['delivery-a']);
        expect(await store.redeliver({ ids: ['run-1'] }, new Date())).toBe(0);
        expect(await store.redeliver({ ids: ['delivery-a'] }, new Date())).toBe(1);
      }),
    );

    it(
      'enqueues a batch all or nothing, with a flag per entry',
      withStore(async (store) => {
        expect(await store.enqueueBatch([entryOf(1, 'bulk'), entryOf(2, 'bulk'), entryOf(3, 'bulk')])).toEqual([
          true,
          true,
          true,
        ]);
        expect(await store.pendingCount()).toBe(3);
        // An id already stored is kept as it was inside a batch too, and so is a repeat in one batch.
        expect(await store.enqueueBatch([entryOf(3, 'other'), entryOf(4, 'bulk'), entryOf(4, 'other')])).toEqual([
          false,
          true,
          false,
        ]);
        expect(await store.pendingCount()).toBe(4);
        // The sixth event cannot be written as JSON: the five before it must not stay stored.
        const cyclic = orderEvent(10);
        (cyclic.payload as Record<string, unknown>)['self'] = cyclic.payload;
        const failing = [5, 6, 7, 8, 9].map((index) => entryOf(index, 'bulk'));
        await expect(
          store.enqueueBatch([...failing, { ...entryOf(10), event: cyclic }, entryOf(11)]),
        ).rejects.toThrow();
        expect(await store.pendingCount()).toBe(4);
        const claimed = await store.claim({ limit: 20, leaseMs: 60_000, now: new Date(), owner: 'relay-a' });
        expect(claimed.map((entry) => entry.id)).toEqual(['run-1', 'run-2', 'run-3', 'run-4']);
        expect(claimed.map((entry) => entry.topic)).toEqual(['bulk', 'bulk', 'bulk', 'bulk']);
        expect(claimed[0]).toMatchObject({ attributes: { tenant: 'acme' } });
        expect(await store.enqueueBatch([])).toEqual([]);
      }),
    );

    it(
      'claims oldest first, at most the limit',
      withStore(async (store) => {
        for (let index = 0; index < 5; index++) await enqueue(store, index);
        const first = await store.claim({ limit: 3, leaseMs: 60_000, now: new Date(), owner: 'relay-a' });
        expect(first.map((claimed) => claimed.id)).toEqual(['run-0', 'run-1', 'run-2']);
        const second = await store.claim({ limit: 3, leaseMs: 60_000, now: new Date(), owner: 'relay-b' });
        expect(second.map((claimed) => claimed.id)).toEqual(['run-3', 'run-4']);
      }),
    );

    it(
      'gives an event whose lease expired to another relay, and ignores the old claim',
      withStore(async (store) => {
        await enqueue(store, 1);
        const stale = await claimOne(store, new Date(), 50, 'relay-a');
        await sleep(120);
        const taken = await claimOne(store, new Date(), 50, 'relay-b');
        expect(taken.attempt).toBe(2);
        expect(taken.history).toEqual([leaseExpired(1)]);
        expect(await settleOne(store, { claimed: stale, attempt: delivered(1), next: 'delivered' })).toBe(false);
        const retry = { claimed: stale, attempt: failure(1), next: 'retry', nextAttemptAt: new Date() } as const;
        expect(await settleOne(store, retry)).toBe(false);
        expect(await settleOne(store, { claimed: stale, attempt: failure(1), next: 'undelivered' })).toBe(false);
        expect(await settleOne(store, { claimed: taken, attempt: delivered(2), next: 'delivered' })).toBe(true);
        expect(await settleOne(store, { claimed: taken, attempt: delivered(2), next: 'delivered' })).toBe(false);
        expect(await store.pendingCount()).toBe(0);
        expect(await store.getEntry('run-1')).toMatchObject({
          state: 'delivered',
          attempts: 2,
          history: [leaseExpired(1), delivered(2)],
        });
      }),
    );

    it(
      'settles a batch of outcomes at once, leaving a lost claim among them unchanged',
      withStore(async (store) => {
        // One lease for every claim (see above), long enough to outlast the settlement below.
        const leaseMs = 1000;
        await enqueue(store, 0);
        const stale = await claimOne(store, new Date(), leaseMs, 'relay-a');
        for (let index = 1; index <= 3; index++) await enqueue(store, index);
        await sleep(leaseMs + 100);
        const taken = await claimOne(store, new Date(), leaseMs, 'relay-b'); // run-0, retried alone
        expect(taken).toMatchObject({ id: 'run-0', attempt: 2 });
        const fresh = await store.claim({ limit: 10, leaseMs, now: new Date(), owner: 'relay-a' });
        expect(fresh.map((claimed) => claimed.id)).toEqual(['run-1', 'run-2', 'run-3']);
        const now = new Date();
        const later = new Date(now.getTime() + 60_000);
        const flags = await store.settle(
          [
            { claimed: fresh[0]!, attempt: delivered(1), next: 'delivered' },
            { claimed: stale, attempt: failure(1), next: 'undelivered' },
            { claimed: fresh[1]!, attempt: failure(1), next: 'retry', nextAttemptAt: later },
            { claimed: fresh[2]!, attempt: failure(1), next: 'undelivered' },
          ],
          now,
        );
        expect(flags).toEqual([true, false, true, true]);
        expect(await store.getEntry('run-0')).toMatchObject({
          state: 'pending',
          claimed: true,
          attempts: 2,
          history: [leaseExpired(1)],
        });
        expect(await store.getEntry('run-1')).toMatchObject({
          state: 'delivered',
          deliveredAt: now,
          history: [delivered(1)],
        });
        expect(await store.getEntry('run-2')).toMatchObject({
          state: 'pending',
          claimed: false,
          nextAttemptAt: later,
          history: [failure(1)],
        });
        expect(await store.getEntry('run-3')).toMatchObject({
          state: 'undelivered',
          failedAt: now,
          history: [failure(1)],
        });
        expect(await settleOne(store, { claimed: taken, attempt: delivered(2), next: 'delivered' })).toBe(true);
        expect(await store.settle([], now)).toEqual([]);
      }),
    );

    it(
      'sets itself up idempotently',
      withStore(async (store) => {
        await store.setup();
        expect(await store.setup()).toEqual([]);
        await enqueue(store, 1);
        expect(await store.setup()).toEqual([]);
        expect(await store.pendingCount()).toBe(1);
      }),
    );

    it(
      'answers its health check',
      withStore(async (store) => expect(await store.healthCheck()).toBe(true)),
    );
  });

  describeStoreAttempts(name, open);
  describeStoreViews(name, open);
  describeStoreWakeUps(name, open, options);
  describeStoreOrdering(name, open, options);
  describeStoreStats(name, open);
}
