import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { AttemptError, ClaimedEvent, OutboxStore } from '@events-protocol/outbox';
import { orderEvent } from './events.js';

/** Opens a fresh, empty store for one test; the contract closes it. */
export type OpenStore = () => Promise<OutboxStore>;

const t0 = new Date('2026-01-01T00:00:00Z');
const at = (ms: number): Date => new Date(t0.getTime() + ms);
const failure = (attempt: number, message = 'receiver said 503'): AttemptError => ({
  attempt,
  at: t0.toISOString(),
  message,
});

const leaseExpired = (attempt: number): AttemptError => ({
  attempt,
  at: expect.any(String) as string,
  name: 'LeaseExpired',
  code: 'LEASE_EXPIRED',
  message: expect.any(String) as string,
});

/**
 * The behaviour every {@link OutboxStore} shares, run against each store on a real database.
 * Claims use real time for leases: Redis measures idle time on its own clock, against the lease
 * of the relay that claims again, so every relay of one stream uses the same `leaseMs`.
 */
export function describeStoreContract(name: string, open: OpenStore): void {
  async function withStore(test: (store: OutboxStore) => Promise<void>): Promise<void> {
    const store = await open();
    try {
      await test(store);
    } finally {
      await store.close();
    }
  }

  async function enqueue(store: OutboxStore, index: number, topic?: string): Promise<void> {
    await store.enqueue({ event: orderEvent(index), topic, attributes: { tenant: 'acme' }, enqueuedAt: t0 });
  }

  async function claimOne(store: OutboxStore, now: Date, leaseMs = 60_000, owner = 'relay-a'): Promise<ClaimedEvent> {
    const [claimed, ...rest] = await store.claim({ limit: 10, leaseMs, now, owner });
    expect(rest).toEqual([]);
    expect(claimed).toBeDefined();
    return claimed!;
  }

  async function undeliver(store: OutboxStore, index: number, topic: string, failedAt: Date): Promise<void> {
    await enqueue(store, index, topic);
    const claimed = await claimOne(store, new Date());
    expect(await store.moveToUndelivered(claimed, failure(1), failedAt)).toBe(true);
  }

  describe(`${name} outbox store`, () => {
    it('claims an enqueued event once, with its topic, attributes and big integers intact', () =>
      withStore(async (store) => {
        await enqueue(store, 1, 'orders');
        expect(await store.pendingCount()).toBe(1);
        const claimed = await claimOne(store, new Date());
        expect(claimed).toMatchObject({ topic: 'orders', attributes: { tenant: 'acme' }, attempt: 1, errors: [] });
        expect(claimed.event).toEqual(orderEvent(1));
        expect(await store.claim({ limit: 10, leaseMs: 60_000, now: new Date(), owner: 'relay-b' })).toEqual([]);
        expect(await store.markDelivered(claimed, new Date())).toBe(true);
        expect(await store.pendingCount()).toBe(0);
      }));

    it('claims oldest first, at most the limit', () =>
      withStore(async (store) => {
        for (let index = 0; index < 5; index++) await enqueue(store, index);
        const first = await store.claim({ limit: 3, leaseMs: 60_000, now: new Date(), owner: 'relay-a' });
        expect(first.map((claimed) => claimed.event.id)).toEqual(['run-0', 'run-1', 'run-2']);
        const second = await store.claim({ limit: 3, leaseMs: 60_000, now: new Date(), owner: 'relay-b' });
        expect(second.map((claimed) => claimed.event.id)).toEqual(['run-3', 'run-4']);
      }));

    it('gives an event whose lease expired to another relay, and ignores the old claim', () =>
      withStore(async (store) => {
        await enqueue(store, 1);
        const stale = await claimOne(store, new Date(), 50, 'relay-a');
        await sleep(120);
        const taken = await claimOne(store, new Date(), 50, 'relay-b');
        expect(taken.attempt).toBe(2);
        expect(taken.errors).toEqual([expect.objectContaining({ attempt: 1, code: 'LEASE_EXPIRED' })]);
        expect(await store.markDelivered(stale, new Date())).toBe(false);
        expect(await store.markFailed(stale, failure(1), new Date())).toBe(false);
        expect(await store.moveToUndelivered(stale, failure(1), new Date())).toBe(false);
        expect(await store.markDelivered(taken, new Date())).toBe(true);
        expect(await store.markDelivered(taken, new Date())).toBe(false);
        expect(await store.pendingCount()).toBe(0);
      }));

    it('counts an expired lease as an attempt, and moves the event to undelivered once the budget is spent', () =>
      withStore(async (store) => {
        await enqueue(store, 1, 'orders');
        const claim = (owner: string) =>
          store.claim({ limit: 10, leaseMs: 50, now: new Date(), owner, maxAttempts: 2 });
        const [first] = await claim('relay-a');
        expect(first).toMatchObject({ attempt: 1, errors: [] });
        const firstClaimedAt = Date.now();
        await sleep(120);
        const [second, ...rest] = await claim('relay-b');
        expect(rest).toEqual([]);
        expect(second).toMatchObject({ attempt: 2, errors: [leaseExpired(1)] });
        const firstLeaseEnd = Date.parse(second!.errors[0]!.at);
        expect(firstLeaseEnd).toBeGreaterThanOrEqual(firstClaimedAt - 1000);
        expect(firstLeaseEnd).toBeLessThanOrEqual(Date.now());
        await sleep(120);
        // The second lease ended without an outcome too: that was the last attempt of the budget.
        expect(await claim('relay-c')).toEqual([]);
        expect(await store.pendingCount()).toBe(0);
        const undelivered = await store.getUndelivered('run-1');
        expect(undelivered).toMatchObject({ topic: 'orders', attempts: 2, errors: [leaseExpired(1), leaseExpired(2)] });
        expect(undelivered!.errors[0]).toEqual(second!.errors[0]);
        expect(undelivered!.failedAt.toISOString()).toBe(undelivered!.errors[1]!.at);
        expect((await store.listUndelivered()).events.map((event) => event.id)).toEqual(['run-1']);
        expect(await store.markDelivered(second!, new Date())).toBe(false);
        expect(await store.redeliver({ ids: ['run-1'] }, new Date())).toBe(1);
        const again = await claimOne(store, new Date());
        expect(again).toMatchObject({ attempt: 1, errors: [leaseExpired(1), leaseExpired(2)] });
      }));

    it('retries an event whose attempt was interrupted alone, so it cannot take a batch down again', () =>
      withStore(async (store) => {
        for (let index = 0; index < 4; index++) await enqueue(store, index);
        const claim = () => store.claim({ limit: 10, leaseMs: 500, now: new Date(), owner: 'relay-a', maxAttempts: 5 });
        expect(await claim()).toHaveLength(4);
        await sleep(600);
        await enqueue(store, 4);
        await enqueue(store, 5);
        for (let index = 0; index < 4; index++) {
          const alone = await claim();
          expect(alone.map((claimed) => [claimed.event.id, claimed.attempt])).toEqual([[`run-${index}`, 2]]);
          expect(alone[0]!.errors).toEqual([leaseExpired(1)]);
        }
        const fresh = await claim();
        expect(fresh.map((claimed) => [claimed.event.id, claimed.attempt])).toEqual([
          ['run-4', 1],
          ['run-5', 1],
        ]);
      }));

    it('lets exactly one of many relays reclaiming an expired lease count it and take the event', () =>
      withStore(async (store) => {
        await enqueue(store, 1);
        const claim = (owner: string) =>
          store.claim({ limit: 10, leaseMs: 300, now: new Date(), owner, maxAttempts: 5 });
        await claim('relay-a');
        await sleep(400);
        const taken = (await Promise.all(Array.from({ length: 8 }, (_, index) => claim(`relay-${index}`)))).flat();
        expect(taken.map((claimed) => [claimed.attempt, claimed.errors])).toEqual([[2, [leaseExpired(1)]]]);
        const now = new Date();
        expect(await store.markFailed(taken[0]!, failure(2), now)).toBe(true);
        const [retry, ...rest] = await store.claim({ limit: 10, leaseMs: 300, now, owner: 'relay-z', maxAttempts: 5 });
        expect(rest).toEqual([]);
        expect(retry).toMatchObject({ attempt: 3, errors: [leaseExpired(1), failure(2)] });
      }));

    it('never hands out an attempt beyond the budget, even one lowered since the last attempt', () =>
      withStore(async (store) => {
        await enqueue(store, 1);
        const claimed = await claimOne(store, new Date());
        const now = new Date();
        expect(await store.markFailed(claimed, failure(1), now)).toBe(true);
        expect(await store.claim({ limit: 10, leaseMs: 60_000, now, owner: 'relay-a', maxAttempts: 1 })).toEqual([]);
        expect(await store.pendingCount()).toBe(0);
        expect(await store.getUndelivered('run-1')).toMatchObject({ attempts: 1, errors: [failure(1)] });
      }));

    it('retries a failed event when it is due, keeping its errors', () =>
      withStore(async (store) => {
        await enqueue(store, 1);
        const now = new Date();
        const claimed = await claimOne(store, now);
        const due = new Date(now.getTime() + 60_000);
        expect(await store.markFailed(claimed, failure(1), due)).toBe(true);
        expect(await store.pendingCount()).toBe(1);
        expect(await store.claim({ limit: 10, leaseMs: 60_000, now, owner: 'relay-a' })).toEqual([]);
        const retry = await claimOne(store, due);
        expect(retry).toMatchObject({ attempt: 2, errors: [failure(1)] });
        expect(retry.event).toEqual(orderEvent(1));
      }));

    it('keeps undelivered events with every error, listed by topic, time and page', () =>
      withStore(async (store) => {
        await undeliver(store, 1, 'orders', at(1000));
        await undeliver(store, 2, 'invoices', at(2000));
        await undeliver(store, 3, 'orders', at(3000));
        expect(await store.pendingCount()).toBe(0);
        const all = await store.listUndelivered();
        expect(all.nextCursor).toBeUndefined();
        expect(all.events.map((event) => event.id)).toEqual(['run-1', 'run-2', 'run-3']);
        expect(all.events[0]).toMatchObject({
          topic: 'orders',
          attributes: { tenant: 'acme' },
          attempts: 1,
          errors: [failure(1)],
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
      }));

    it('redelivers one, some or all undelivered events with fresh attempts', () =>
      withStore(async (store) => {
        for (let index = 1; index <= 4; index++)
          await undeliver(store, index, index % 2 === 0 ? 'even' : 'odd', at(index));
        expect(await store.redeliver({ ids: ['run-1', 'missing'] }, new Date())).toBe(1);
        const again = await claimOne(store, new Date());
        expect(again).toMatchObject({ attempt: 1, errors: [failure(1)] });
        expect(again.event.id).toBe('run-1');
        expect(await store.redeliver({ topic: 'even' }, new Date())).toBe(2);
        expect(await store.redeliver({}, new Date())).toBe(1);
        expect(await store.redeliver({}, new Date())).toBe(0);
        expect((await store.listUndelivered()).events).toEqual([]);
        expect(await store.pendingCount()).toBe(4);
      }));

    it('purges delivered events older than a date', () =>
      withStore(async (store) => {
        await enqueue(store, 1);
        await enqueue(store, 2);
        const [first, second] = await store.claim({ limit: 10, leaseMs: 60_000, now: new Date(), owner: 'relay-a' });
        await store.markDelivered(first!, at(1000));
        await store.markDelivered(second!, at(5000));
        expect(await store.purgeDelivered(at(1000))).toBe(0);
        expect(await store.purgeDelivered(at(2000))).toBe(1);
        expect(await store.purgeDelivered(at(9000))).toBe(1);
      }));

    it('enqueues a batch all or nothing', () =>
      withStore(async (store) => {
        const entry = (index: number, topic = 'bulk') => ({
          event: orderEvent(index),
          topic,
          attributes: { tenant: 'acme' },
          enqueuedAt: t0,
        });
        await store.enqueueBatch([entry(1), entry(2), entry(3)]);
        expect(await store.pendingCount()).toBe(3);
        // An id already stored is ignored inside a batch too.
        await store.enqueueBatch([entry(3), entry(4)]);
        expect(await store.pendingCount()).toBe(4);
        // The sixth event cannot be written as JSON: the five before it must not stay stored.
        const cyclic = orderEvent(10);
        (cyclic.payload as Record<string, unknown>)['self'] = cyclic.payload;
        const failing = [entry(5), entry(6), entry(7), entry(8), entry(9), { ...entry(10), event: cyclic }, entry(11)];
        await expect(store.enqueueBatch(failing)).rejects.toThrow();
        expect(await store.pendingCount()).toBe(4);
        const claimed = await store.claim({ limit: 20, leaseMs: 60_000, now: new Date(), owner: 'relay-a' });
        expect(claimed.map((event) => event.event.id)).toEqual(['run-1', 'run-2', 'run-3', 'run-4']);
        expect(claimed[0]).toMatchObject({ topic: 'bulk', attributes: { tenant: 'acme' } });
        await store.enqueueBatch([]);
      }));

    it('holds a scheduled event until its time, and cancels one before it is claimed', () =>
      withStore(async (store) => {
        const now = new Date();
        const later = new Date(now.getTime() + 60_000);
        const base = { topic: 'later', attributes: {}, enqueuedAt: now, availableAt: later };
        await store.enqueue({ ...base, event: orderEvent(1) });
        await store.enqueue({ ...base, event: orderEvent(2) });
        await enqueue(store, 3);
        expect(await store.pendingCount()).toBe(3);
        // A lease that outlasts the scheduled time, so run-3 is not claimed again later.
        const dueNow = await store.claim({ limit: 10, leaseMs: 600_000, now, owner: 'relay-a' });
        expect(dueNow.map((claimed) => claimed.event.id)).toEqual(['run-3']);
        expect(await store.cancel('run-2')).toBe(true);
        expect(await store.cancel('run-2')).toBe(false);
        expect(await store.cancel('run-3')).toBe(false); // claimed already
        expect(await store.cancel('missing')).toBe(false);
        expect(await store.pendingCount()).toBe(2);
        const dueLater = await store.claim({
          limit: 10,
          leaseMs: 60_000,
          now: new Date(later.getTime() + 1),
          owner: 'relay-a',
        });
        expect(dueLater.map((claimed) => claimed.event.id)).toEqual(['run-1']);
        expect(dueLater[0]).toMatchObject({ topic: 'later', attempt: 1, errors: [] });
        expect(await store.cancel('run-1')).toBe(false);
      }));

    it('stores an event straight as undelivered when given a failure', () =>
      withStore(async (store) => {
        await store.enqueue({
          event: orderEvent(1),
          topic: 'direct',
          attributes: { tenant: 'acme' },
          enqueuedAt: t0,
          failure: failure(1, 'publish timed out after 500 ms'),
        });
        expect(await store.pendingCount()).toBe(0);
        expect(await store.claim({ limit: 10, leaseMs: 60_000, now: new Date(), owner: 'relay-a' })).toEqual([]);
        const [undelivered] = (await store.listUndelivered({ topic: 'direct' })).events;
        expect(undelivered).toMatchObject({
          id: 'run-1',
          attempts: 1,
          errors: [failure(1, 'publish timed out after 500 ms')],
          failedAt: t0,
        });
        expect(undelivered!.event).toEqual(orderEvent(1));
      }));

    it('shows one undelivered event and deletes undelivered events by id or filter', () =>
      withStore(async (store) => {
        for (let index = 1; index <= 4; index++)
          await undeliver(store, index, index % 2 === 0 ? 'even' : 'odd', at(index));
        const shown = await store.getUndelivered('run-2');
        expect(shown).toMatchObject({ id: 'run-2', topic: 'even', attempts: 1, errors: [failure(1)], failedAt: at(2) });
        expect(shown!.event).toEqual(orderEvent(2));
        expect(await store.getUndelivered('missing')).toBeUndefined();
        expect(await store.deleteUndelivered({ ids: ['run-1', 'missing'] })).toBe(1);
        expect(await store.getUndelivered('run-1')).toBeUndefined();
        expect(await store.deleteUndelivered({ topic: 'even' })).toBe(2);
        expect(await store.deleteUndelivered({})).toBe(1);
        expect((await store.listUndelivered()).events).toEqual([]);
        expect(await store.redeliver({}, new Date())).toBe(0);
        expect(await store.pendingCount()).toBe(0);
      }));

    it('sets itself up idempotently', () =>
      withStore(async (store) => {
        await store.setup();
        expect(await store.setup()).toEqual([]);
        await enqueue(store, 1);
        expect(await store.setup()).toEqual([]);
        expect(await store.pendingCount()).toBe(1);
      }));

    it('answers its health check', () => withStore(async (store) => expect(await store.healthCheck()).toBe(true)));
  });
}
