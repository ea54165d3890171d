import { describe, expect, it } from 'vitest';
import type { OutboxStats, OutboxStore } from '@events-protocol/outbox';
import { delivered, entryOf, failure, settleOne, storeTest, type OpenStore } from './store-contract-support.js';

const leaseMs = 60_000;
const base = new Date('2026-03-01T10:00:00Z');
const minute = (count: number): Date => new Date(base.getTime() + count * 60_000);

const empty: OutboxStats = {
  pending: 0,
  due: 0,
  claimed: 0,
  oldestPendingEnqueuedAt: undefined,
  undelivered: 0,
  oldestUndeliveredFailedAt: undefined,
};

async function enqueueAt(store: OutboxStore, id: string, enqueuedAt: Date, extra = {}): Promise<void> {
  expect(await store.enqueue({ ...entryOf(1, 'hooks', { id, ...extra }), enqueuedAt })).toBe(true);
}

function claim(store: OutboxStore, limit: number, maxAttempts?: number) {
  return store.claim({ limit, leaseMs, now: new Date(), owner: 'relay-a', ...(maxAttempts ? { maxAttempts } : {}) });
}

/** `stats(now)`: queue depth, claims, undelivered depth and the oldest of each, at every step of an entry's life. */
export function describeStoreStats(name: string, open: OpenStore): void {
  const withStore = (test: Parameters<typeof storeTest>[1]) => storeTest(open, test);

  describe(`${name} outbox store statistics`, () => {
    it(
      'counts nothing in an empty store',
      withStore(async (store) => {
        expect(await store.stats(new Date())).toEqual(empty);
      }),
    );

    it(
      'follows enqueues, claims, retries, settlements, redeliveries, deletions and purges',
      withStore(async (store) => {
        const tomorrow = new Date(Date.now() + 86_400_000);
        await enqueueAt(store, 'a', minute(0));
        await enqueueAt(store, 'b', minute(1));
        await enqueueAt(store, 'c', minute(2));
        await enqueueAt(store, 'later', minute(3), { availableAt: tomorrow });
        expect(await store.stats(new Date())).toEqual({
          ...empty,
          pending: 4,
          due: 3,
          oldestPendingEnqueuedAt: minute(0),
        });
        // At tomorrow's clock the scheduled one is due too.
        expect((await store.stats(new Date(tomorrow.getTime() + 1000))).due).toBe(4);

        const [first, second] = await claim(store, 2);
        expect([first?.id, second?.id]).toEqual(['a', 'b']);
        expect(await store.stats(new Date())).toEqual({
          ...empty,
          pending: 4,
          due: 1,
          claimed: 2,
          oldestPendingEnqueuedAt: minute(0),
        });

        expect(await settleOne(store, { claimed: first!, attempt: delivered(1), next: 'delivered' })).toBe(true);
        const retryAt = new Date(Date.now() + 3_600_000);
        expect(
          await settleOne(store, { claimed: second!, attempt: failure(1), next: 'retry', nextAttemptAt: retryAt }),
        ).toBe(true);
        expect(await store.stats(new Date())).toEqual({
          ...empty,
          pending: 3,
          due: 1,
          oldestPendingEnqueuedAt: minute(1),
        });
        expect((await store.stats(new Date(retryAt.getTime() + 1000))).due).toBe(2);

        const [third] = await claim(store, 1);
        expect(third?.id).toBe('c');
        const failedAt = minute(30);
        expect(await settleOne(store, { claimed: third!, attempt: failure(1), next: 'undelivered' }, failedAt)).toBe(
          true,
        );
        expect(await store.stats(new Date())).toEqual({
          ...empty,
          pending: 2,
          oldestPendingEnqueuedAt: minute(1),
          undelivered: 1,
          oldestUndeliveredFailedAt: failedAt,
        });

        expect(await store.redeliver({ ids: ['c'] }, new Date())).toBe(1);
        expect(await store.stats(new Date())).toEqual({
          ...empty,
          pending: 3,
          due: 1,
          oldestPendingEnqueuedAt: minute(1),
        });

        const [again] = await claim(store, 1);
        expect(await settleOne(store, { claimed: again!, attempt: failure(1), next: 'undelivered' }, minute(40))).toBe(
          true,
        );
        expect(await store.deleteUndelivered({ ids: ['c'] })).toBe(1);
        expect(await store.purgeDelivered(new Date(Date.now() + 1000))).toBe(1);
        expect(await store.stats(new Date())).toEqual({ ...empty, pending: 2, oldestPendingEnqueuedAt: minute(1) });
      }),
    );

    it(
      'keeps the oldest undelivered failure, counts entries given up by the budget, and leaves delivered ones out',
      withStore(async (store) => {
        for (const [index, id] of ['x', 'y', 'z'].entries()) await enqueueAt(store, id, minute(index));
        const claims = await claim(store, 3);
        const [x, y, z] = claims;
        expect(await settleOne(store, { claimed: y!, attempt: failure(1), next: 'undelivered' }, minute(50))).toBe(
          true,
        );
        expect(await settleOne(store, { claimed: x!, attempt: failure(1), next: 'undelivered' }, minute(20))).toBe(
          true,
        );
        expect(
          await settleOne(store, { claimed: z!, attempt: failure(1), next: 'retry', nextAttemptAt: new Date() }),
        ).toBe(true);
        expect(await claim(store, 3, 1)).toEqual([]);
        const stats = await store.stats(new Date());
        expect(stats).toMatchObject({ pending: 0, due: 0, claimed: 0, undelivered: 3 });
        expect(stats.oldestUndeliveredFailedAt).toEqual(minute(20));
        expect(stats.oldestPendingEnqueuedAt).toBeUndefined();
      }),
    );

    it(
      'counts an entry waiting behind an earlier one of its ordering key as pending, not due',
      withStore(async (store) => {
        await enqueueAt(store, 'k-1', minute(0), { orderingKey: 'sub-1' });
        await enqueueAt(store, 'k-2', minute(1), { orderingKey: 'sub-1' });
        await enqueueAt(store, 'other', minute(2), { orderingKey: 'sub-2' });
        expect(await store.stats(new Date())).toMatchObject({ pending: 3, due: 2, claimed: 0 });
        const claims = await claim(store, 10);
        expect(claims.map((claimed) => claimed.id).sort()).toEqual(['k-1', 'other']);
        expect(await store.stats(new Date())).toMatchObject({ pending: 3, due: 0, claimed: 2 });
        const first = claims.find((claimed) => claimed.id === 'k-1')!;
        expect(await settleOne(store, { claimed: first, attempt: delivered(1), next: 'delivered' })).toBe(true);
        expect(await store.stats(new Date())).toMatchObject({ pending: 2, due: 1, claimed: 1 });
      }),
    );
  });
}
