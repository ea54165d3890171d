import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { maxKeptAttempts } from '@events-protocol/outbox';
import { orderEvent } from './events.js';
import {
  claimOne,
  delivered,
  enqueue,
  failure,
  leaseExpired,
  settleOne,
  storeTest,
  type OpenStore,
} from './store-contract-support.js';

/** How stores count and record attempts: histories, the record cap, leases and the budget. */
export function describeStoreAttempts(name: string, open: OpenStore): void {
  const withStore = (test: Parameters<typeof storeTest>[1]) => storeTest(open, test);

  describe(`${name} outbox store attempts`, () => {
    it(
      'keeps every attempt record in order, with status, duration, answer and error',
      withStore(async (store) => {
        await enqueue(store, 1);
        const first = await claimOne(store, new Date());
        const now = new Date();
        expect(
          await settleOne(store, { claimed: first, attempt: failure(1), next: 'retry', nextAttemptAt: now }, now),
        ).toBe(true);
        const second = await claimOne(store, now);
        expect(second).toMatchObject({ attempt: 2, history: [failure(1)] });
        expect(
          await settleOne(
            store,
            { claimed: second, attempt: failure(2, 'reset'), next: 'retry', nextAttemptAt: now },
            now,
          ),
        ).toBe(true);
        const third = await claimOne(store, now);
        expect(third.history).toEqual([failure(1), failure(2, 'reset')]);
        expect(await settleOne(store, { claimed: third, attempt: delivered(3), next: 'delivered' }, now)).toBe(true);
        const entry = await store.getEntry('run-1');
        expect(entry).toMatchObject({ state: 'delivered', attempts: 3 });
        expect(entry!.history).toEqual([failure(1), failure(2, 'reset'), delivered(3)]);
      }),
    );

    it(
      `keeps the newest ${maxKeptAttempts} attempt records and counts them all`,
      withStore(async (store) => {
        await enqueue(store, 1);
        const now = new Date();
        const total = maxKeptAttempts + 3;
        for (let attempt = 1; attempt <= total; attempt++) {
          const claimed = await claimOne(store, now);
          expect(claimed.attempt).toBe(attempt);
          expect(claimed.history).toHaveLength(Math.min(attempt - 1, maxKeptAttempts));
          expect(
            await settleOne(store, { claimed, attempt: failure(attempt), next: 'retry', nextAttemptAt: now }, now),
          ).toBe(true);
        }
        const entry = await store.getEntry('run-1');
        expect(entry).toMatchObject({ state: 'pending', attempts: total });
        expect(entry!.history).toHaveLength(maxKeptAttempts);
        expect(entry!.history[0]).toEqual(failure(total - maxKeptAttempts + 1));
        expect(entry!.history.at(-1)).toEqual(failure(total));
        const next = await claimOne(store, now);
        expect(next.attempt).toBe(total + 1);
        expect(next.history.map((record) => record.attempt)).toEqual(entry!.history.map((record) => record.attempt));
      }),
    );

    it(
      'counts an expired lease as an interrupted attempt, and moves the event to undelivered once the budget is spent',
      withStore(async (store) => {
        await enqueue(store, 1, 'orders');
        const claim = (owner: string) =>
          store.claim({ limit: 10, leaseMs: 50, now: new Date(), owner, maxAttempts: 2 });
        const [first] = await claim('relay-a');
        expect(first).toMatchObject({ attempt: 1, history: [] });
        const firstClaimedAt = Date.now();
        await sleep(120);
        const [second, ...rest] = await claim('relay-b');
        expect(rest).toEqual([]);
        expect(second).toMatchObject({ attempt: 2, history: [leaseExpired(1)] });
        const firstLeaseEnd = Date.parse(second!.history[0]!.at);
        expect(firstLeaseEnd).toBeGreaterThanOrEqual(firstClaimedAt - 1000);
        expect(firstLeaseEnd).toBeLessThanOrEqual(Date.now());
        await sleep(120);
        // The second lease ended without an outcome too: that was the last attempt of the budget.
        expect(await claim('relay-c')).toEqual([]);
        expect(await store.pendingCount()).toBe(0);
        const undelivered = await store.getEntry('run-1');
        expect(undelivered).toMatchObject({
          state: 'undelivered',
          topic: 'orders',
          attempts: 2,
          history: [leaseExpired(1), leaseExpired(2)],
        });
        expect(undelivered!.history[0]).toEqual(second!.history[0]);
        expect(undelivered!.failedAt!.toISOString()).toBe(undelivered!.history[1]!.at);
        expect((await store.listUndelivered()).events.map((event) => event.id)).toEqual(['run-1']);
        expect(await settleOne(store, { claimed: second!, attempt: delivered(2), next: 'delivered' })).toBe(false);
        expect(await store.redeliver({ ids: ['run-1'] }, new Date())).toBe(1);
        const again = await claimOne(store, new Date());
        expect(again).toMatchObject({ attempt: 1, history: [leaseExpired(1), leaseExpired(2)] });
      }),
    );

    it(
      'retries an event whose attempt was interrupted alone, so it cannot take a batch down again',
      withStore(async (store) => {
        for (let index = 0; index < 4; index++) await enqueue(store, index);
        const claim = () => store.claim({ limit: 10, leaseMs: 500, now: new Date(), owner: 'relay-a', maxAttempts: 5 });
        expect(await claim()).toHaveLength(4);
        await sleep(600);
        await enqueue(store, 4);
        await enqueue(store, 5);
        for (let index = 0; index < 4; index++) {
          const alone = await claim();
          expect(alone.map((claimed) => [claimed.id, claimed.attempt])).toEqual([[`run-${index}`, 2]]);
          expect(alone[0]!.history).toEqual([leaseExpired(1)]);
        }
        const fresh = await claim();
        expect(fresh.map((claimed) => [claimed.id, claimed.attempt])).toEqual([
          ['run-4', 1],
          ['run-5', 1],
        ]);
      }),
    );

    it(
      'lets exactly one of many relays reclaiming an expired lease count it and take the event',
      withStore(async (store) => {
        await enqueue(store, 1);
        const claim = (owner: string) =>
          store.claim({ limit: 10, leaseMs: 300, now: new Date(), owner, maxAttempts: 5 });
        await claim('relay-a');
        await sleep(400);
        const taken = (await Promise.all(Array.from({ length: 8 }, (_, index) => claim(`relay-${index}`)))).flat();
        expect(taken.map((claimed) => [claimed.attempt, claimed.history])).toEqual([[2, [leaseExpired(1)]]]);
        const now = new Date();
        expect(
          await settleOne(store, { claimed: taken[0]!, attempt: failure(2), next: 'retry', nextAttemptAt: now }, now),
        ).toBe(true);
        const [retry, ...rest] = await store.claim({ limit: 10, leaseMs: 300, now, owner: 'relay-z', maxAttempts: 5 });
        expect(rest).toEqual([]);
        expect(retry).toMatchObject({ attempt: 3, history: [leaseExpired(1), failure(2)] });
      }),
    );

    it(
      'never hands out an attempt beyond the budget, even one lowered since the last attempt',
      withStore(async (store) => {
        await enqueue(store, 1);
        const claimed = await claimOne(store, new Date());
        const now = new Date();
        expect(await settleOne(store, { claimed, attempt: failure(1), next: 'retry', nextAttemptAt: now }, now)).toBe(
          true,
        );
        expect(await store.claim({ limit: 10, leaseMs: 60_000, now, owner: 'relay-a', maxAttempts: 1 })).toEqual([]);
        expect(await store.pendingCount()).toBe(0);
        expect(await store.getEntry('run-1')).toMatchObject({
          state: 'undelivered',
          attempts: 1,
          history: [failure(1)],
        });
      }),
    );

    it(
      'retries a failed event when it is due, keeping its history',
      withStore(async (store) => {
        await enqueue(store, 1);
        const now = new Date();
        const claimed = await claimOne(store, now);
        const due = new Date(now.getTime() + 60_000);
        expect(await settleOne(store, { claimed, attempt: failure(1), next: 'retry', nextAttemptAt: due }, now)).toBe(
          true,
        );
        expect(await store.pendingCount()).toBe(1);
        expect(await store.claim({ limit: 10, leaseMs: 60_000, now, owner: 'relay-a' })).toEqual([]);
        const retry = await claimOne(store, due);
        expect(retry).toMatchObject({ attempt: 2, history: [failure(1)] });
        expect(retry.event).toEqual(orderEvent(1));
      }),
    );
  });
}
