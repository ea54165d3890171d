import { describe, expect, it } from 'vitest';
import { orderEvent } from './events.js';
import {
  at,
  claimOne,
  delivered,
  enqueue,
  entryOf,
  failure,
  settleOne,
  storeTest,
  t0,
  undeliver,
  type OpenStore,
} from './store-contract-support.js';

/** What operators see of a store: pending and undelivered pages, one entry, redelivery, purges. */
export function describeStoreViews(name: string, open: OpenStore): void {
  const withStore = (test: Parameters<typeof storeTest>[1]) => storeTest(open, test);

  describe(`${name} outbox store views`, () => {
    it(
      'lists pending entries oldest first, by topic and page, claimed or not',
      withStore(async (store) => {
        const later = at(3_600_000);
        await enqueue(store, 1, 'orders');
        await enqueue(store, 2, 'invoices');
        expect(await store.enqueue(entryOf(3, 'orders', { availableAt: later }))).toBe(true);
        await enqueue(store, 4, 'orders');
        const claimedAt = new Date();
        const [claimed] = await store.claim({ limit: 1, leaseMs: 60_000, now: claimedAt, owner: 'relay-a' });
        expect(claimed!.id).toBe('run-1');
        const all = await store.listPending();
        expect(all.nextCursor).toBeUndefined();
        expect(all.events.map((entry) => [entry.id, entry.state, entry.claimed])).toEqual([
          ['run-1', 'pending', true],
          ['run-2', 'pending', false],
          ['run-3', 'pending', false],
          ['run-4', 'pending', false],
        ]);
        expect(all.events[1]).toMatchObject({
          topic: 'invoices',
          attributes: { tenant: 'acme' },
          attempts: 0,
          history: [],
          enqueuedAt: t0,
          nextAttemptAt: t0,
        });
        expect(all.events[1]!.event).toEqual(orderEvent(2));
        expect(all.events[2]!.nextAttemptAt).toEqual(later);
        // A claimed entry is due again when its lease ends.
        const leaseEnd = all.events[0]!.nextAttemptAt.getTime();
        expect(leaseEnd).toBeGreaterThanOrEqual(claimedAt.getTime() + 60_000 - 1000);
        expect(leaseEnd).toBeLessThanOrEqual(Date.now() + 60_000 + 1000);
        const orders = await store.listPending({ topic: 'orders' });
        expect(orders.events.map((entry) => entry.id)).toEqual(['run-1', 'run-3', 'run-4']);
        const first = await store.listPending({ limit: 3 });
        expect(first.events.map((entry) => entry.id)).toEqual(['run-1', 'run-2', 'run-3']);
        const second = await store.listPending({ limit: 3, cursor: first.nextCursor! });
        expect(second).toMatchObject({ nextCursor: undefined, events: [expect.objectContaining({ id: 'run-4' })] });
        const firstOrders = await store.listPending({ topic: 'orders', limit: 2 });
        expect(firstOrders.events.map((entry) => entry.id)).toEqual(['run-1', 'run-3']);
        const nextOrders = await store.listPending({ topic: 'orders', limit: 2, cursor: firstOrders.nextCursor! });
        expect(nextOrders.events.map((entry) => entry.id)).toEqual(['run-4']);
        expect(await settleOne(store, { claimed: claimed!, attempt: delivered(1), next: 'delivered' })).toBe(true);
        expect((await store.listPending()).events.map((entry) => entry.id)).toEqual(['run-2', 'run-3', 'run-4']);
      }),
    );

    it(
      'shows one entry in each state',
      withStore(async (store) => {
        for (let index = 1; index <= 4; index++) await enqueue(store, index, 'orders');
        expect(await store.getEntry('run-1')).toMatchObject({
          id: 'run-1',
          state: 'pending',
          claimed: false,
          attempts: 0,
          history: [],
          nextAttemptAt: t0,
          enqueuedAt: t0,
        });
        const now = new Date();
        const [one, two, three] = await store.claim({ limit: 3, leaseMs: 60_000, now, owner: 'relay-a' });
        const claimedEntry = await store.getEntry('run-1');
        expect(claimedEntry).toMatchObject({
          state: 'pending',
          claimed: true,
          attempts: 1,
          topic: 'orders',
          attributes: { tenant: 'acme' },
        });
        expect(claimedEntry!.event).toEqual(orderEvent(1));
        const retryAt = new Date(now.getTime() + 30_000);
        const deliveredAt = at(5000);
        const flags = await store.settle(
          [
            { claimed: one!, attempt: delivered(1), next: 'delivered' },
            { claimed: two!, attempt: failure(1), next: 'retry', nextAttemptAt: retryAt },
            { claimed: three!, attempt: failure(1), next: 'undelivered' },
          ],
          deliveredAt,
        );
        expect(flags).toEqual([true, true, true]);
        expect(await store.getEntry('run-1')).toMatchObject({
          state: 'delivered',
          attempts: 1,
          history: [delivered(1)],
          deliveredAt,
        });
        expect(await store.getEntry('run-2')).toMatchObject({
          state: 'pending',
          claimed: false,
          attempts: 1,
          history: [failure(1)],
          nextAttemptAt: retryAt,
        });
        expect(await store.getEntry('run-3')).toMatchObject({
          state: 'undelivered',
          attempts: 1,
          history: [failure(1)],
          failedAt: deliveredAt,
        });
        expect(await store.getEntry('run-4')).toMatchObject({ state: 'pending', claimed: false, attempts: 0 });
        expect(await store.getEntry('missing')).toBeUndefined();
      }),
    );

    it(
      'keeps undelivered events with every attempt, listed by topic, time and page',
      withStore(async (store) => {
        await undeliver(store, 1, 'orders', at(1000));
        await undeliver(store, 2, 'invoices', at(2000));
        await undeliver(store, 3, 'orders', at(3000));
        expect(await store.pendingCount()).toBe(0);
        const all = await store.listUndelivered();
        expect(all.nextCursor).toBeUndefined();
        expect(all.events.map((event) => event.id)).toEqual(['run-1', 'run-2', 'run-3']);
        expect(all.events[0]).toMatchObject({
          state: 'undelivered',
          topic: 'orders',
          attributes: { tenant: 'acme' },
          attempts: 1,
          history: [failure(1)],
          enqueuedAt: t0,
          failedAt: at(1000),
        });
        expect(all.events[0]!.event).toEqual(orderEvent(1));
        const orders = await store.listUndelivered({ topic: 'orders' });
        expect(orders.events.map((event) => event.id)).toEqual(['run-1', 'run-3']);
        const window = await store.listUndelivered({ since: at(2000), until: at(3000) });
        expect(window.events.map((event) => event.id)).toEqual(['run-2']);
        const first = await store.listUndelivered({ limit: 2 });
        expect(first.events.map((event) => event.id)).toEqual(['run-1', 'run-2']);
        const second = await store.listUndelivered({ limit: 2, cursor: first.nextCursor! });
        expect(second).toMatchObject({ nextCursor: undefined, events: [expect.objectContaining({ id: 'run-3' })] });
      }),
    );

    it(
      'redelivers one, some or all undelivered events with fresh attempts',
      withStore(async (store) => {
        for (let index = 1; index <= 4; index++)
          await undeliver(store, index, index % 2 === 0 ? 'even' : 'odd', at(index));
        expect(await store.redeliver({ ids: ['run-1', 'missing'] }, new Date())).toBe(1);
        const again = await claimOne(store, new Date());
        expect(again).toMatchObject({ id: 'run-1', attempt: 1, history: [failure(1)] });
        expect(await store.redeliver({ topic: 'even' }, new Date())).toBe(2);
        expect(await store.redeliver({}, new Date())).toBe(1);
        expect(await store.redeliver({}, new Date())).toBe(0);
        expect((await store.listUndelivered()).events).toEqual([]);
        expect(await store.pendingCount()).toBe(4);
      }),
    );

    it(
      'shows one undelivered event and deletes undelivered events by id or filter',
      withStore(async (store) => {
        for (let index = 1; index <= 4; index++)
          await undeliver(store, index, index % 2 === 0 ? 'even' : 'odd', at(index));
        const shown = await store.getEntry('run-2');
        expect(shown).toMatchObject({
          id: 'run-2',
          state: 'undelivered',
          topic: 'even',
          attempts: 1,
          history: [failure(1)],
          failedAt: at(2),
        });
        expect(shown!.event).toEqual(orderEvent(2));
        expect(await store.deleteUndelivered({ ids: ['run-1', 'missing'] })).toBe(1);
        expect(await store.getEntry('run-1')).toBeUndefined();
        expect(await store.deleteUndelivered({ topic: 'even' })).toBe(2);
        expect(await store.deleteUndelivered({})).toBe(1);
        expect((await store.listUndelivered()).events).toEqual([]);
        expect(await store.redeliver({}, new Date())).toBe(0);
        expect(await store.pendingCount()).toBe(0);
      }),
    );

    it(
      'purges delivered events older than a date',
      withStore(async (store) => {
        await enqueue(store, 1);
        await enqueue(store, 2);
        const [first, second] = await store.claim({ limit: 10, leaseMs: 60_000, now: new Date(), owner: 'relay-a' });
        expect(await settleOne(store, { claimed: first!, attempt: delivered(1), next: 'delivered' }, at(1000))).toBe(
          true,
        );
        expect(await settleOne(store, { claimed: second!, attempt: delivered(1), next: 'delivered' }, at(5000))).toBe(
          true,
        );
        expect(await store.purgeDelivered(at(1000))).toBe(0);
        expect(await store.purgeDelivered(at(2000))).toBe(1);
        expect(await store.getEntry('run-1')).toBeUndefined();
        expect(await store.getEntry('run-2')).toMatchObject({ state: 'delivered' });
        expect(await store.purgeDelivered(at(9000))).toBe(1);
      }),
    );

    it(
      'holds a scheduled event until its time, and cancels one before it is claimed',
      withStore(async (store) => {
        const now = new Date();
        const later = new Date(now.getTime() + 60_000);
        const base = { topic: 'later', attributes: {}, enqueuedAt: now, availableAt: later };
        expect(await store.enqueue({ ...base, event: orderEvent(1) })).toBe(true);
        expect(await store.enqueue({ ...base, event: orderEvent(2) })).toBe(true);
        await enqueue(store, 3);
        expect(await store.pendingCount()).toBe(3);
        // A lease that outlasts the scheduled time, so run-3 is not claimed again later.
        const dueNow = await store.claim({ limit: 10, leaseMs: 600_000, now, owner: 'relay-a' });
        expect(dueNow.map((claimed) => claimed.id)).toEqual(['run-3']);
        expect(await store.cancel('run-2')).toBe(true);
        expect(await store.cancel('run-2')).toBe(false);
        expect(await store.getEntry('run-2')).toBeUndefined();
        expect(await store.cancel('run-3')).toBe(false); // claimed already
        expect(await store.cancel('missing')).toBe(false);
        expect(await store.pendingCount()).toBe(2);
        const dueLater = await store.claim({
          limit: 10,
          leaseMs: 60_000,
          now: new Date(later.getTime() + 1),
          owner: 'relay-a',
        });
        expect(dueLater.map((claimed) => claimed.id)).toEqual(['run-1']);
        expect(dueLater[0]).toMatchObject({ topic: 'later', attempt: 1, history: [] });
        expect(await store.cancel('run-1')).toBe(false);
      }),
    );

    it(
      'stores an event straight as undelivered when given a failure',
      withStore(async (store) => {
        const direct = failure(1, 'publish timed out after 500 ms');
        expect(await store.enqueue({ ...entryOf(1, 'direct'), failure: direct })).toBe(true);
        expect(await store.pendingCount()).toBe(0);
        expect(await store.claim({ limit: 10, leaseMs: 60_000, now: new Date(), owner: 'relay-a' })).toEqual([]);
        const [undelivered] = (await store.listUndelivered({ topic: 'direct' })).events;
        expect(undelivered).toMatchObject({
          id: 'run-1',
          state: 'undelivered',
          attempts: 1,
          history: [direct],
          failedAt: t0,
        });
        expect(undelivered!.event).toEqual(orderEvent(1));
      }),
    );
  });
}
