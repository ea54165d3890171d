import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { ClaimedEvent, OutboxStore } from '@events-protocol/outbox';
import {
  delivered,
  entryOf,
  failure,
  settleOne,
  storeTest,
  type OpenStore,
  type StoreContractOptions,
} from './store-contract-support.js';

const leaseMs = 60_000;

/** Enqueues `orderEvent(index)` as entry `id` with `orderingKey` (none when `undefined`). */
async function enqueueKeyed(store: OutboxStore, id: string, orderingKey: string | undefined, index = 1): Promise<void> {
  expect(await store.enqueue(entryOf(index, 'hooks', { id, orderingKey }))).toBe(true);
}

/** The ids one claim hands out, sorted. */
async function claimIds(store: OutboxStore, owner = 'relay-a', limit = 10): Promise<string[]> {
  return (await claimAll(store, owner, limit)).map((claimed) => claimed.id).sort();
}

function claimAll(store: OutboxStore, owner = 'relay-a', limit = 10): Promise<ClaimedEvent[]> {
  return store.claim({ limit, leaseMs, now: new Date(), owner });
}

async function claimOnly(store: OutboxStore, id: string): Promise<ClaimedEvent> {
  const claims = await claimAll(store);
  expect(claims.map((claimed) => claimed.id)).toEqual([id]);
  return claims[0]!;
}

async function deliver(store: OutboxStore, claimed: ClaimedEvent): Promise<void> {
  expect(await settleOne(store, { claimed, attempt: delivered(claimed.attempt), next: 'delivered' })).toBe(true);
}

/**
 * Ordered delivery: entries of one ordering key are claimed one at a time, in enqueue order;
 * entries without a key, or of other keys, are not held up.
 */
export function describeStoreOrdering(name: string, open: OpenStore, options: StoreContractOptions = {}): void {
  const withStore = (test: Parameters<typeof storeTest>[1]) => storeTest(open, test);

  describe(`${name} outbox store ordered delivery`, () => {
    it(
      'holds the next entry of a key while the first is claimed, and hands it out once that is delivered',
      withStore(async (store) => {
        await enqueueKeyed(store, 'k-1', 'sub-1');
        await enqueueKeyed(store, 'k-2', 'sub-1');
        await enqueueKeyed(store, 'plain', undefined);
        const claims = await claimAll(store);
        expect(claims.map((claimed) => claimed.id).sort()).toEqual(['k-1', 'plain']);
        const first = claims.find((claimed) => claimed.id === 'k-1')!;
        expect(first.orderingKey).toBe('sub-1');
        expect(await claimIds(store, 'relay-b')).toEqual([]);
        expect(await store.getEntry('k-2')).toMatchObject({ state: 'pending', claimed: false, orderingKey: 'sub-1' });
        await deliver(store, first);
        const second = await claimOnly(store, 'k-2');
        expect(second.orderingKey).toBe('sub-1');
      }),
    );

    it(
      'holds the next entry while the first waits for a retry, and while it is retried',
      withStore(async (store) => {
        await enqueueKeyed(store, 'k-1', 'sub-1');
        await enqueueKeyed(store, 'k-2', 'sub-1');
        const first = await claimOnly(store, 'k-1');
        const later = new Date(Date.now() + 3_600_000);
        expect(
          await settleOne(store, { claimed: first, attempt: failure(1), next: 'retry', nextAttemptAt: later }),
        ).toBe(true);
        expect(await claimIds(store)).toEqual([]);
        // At the retry's time it is claimed again, still not the entry after it.
        const atRetry = await store.claim({ limit: 10, leaseMs, now: new Date(later.getTime() + 1000), owner: 'a' });
        expect(atRetry.map((claimed) => claimed.id)).toEqual(['k-1']);
        const retried = atRetry[0]!;
        const now = new Date();
        expect(
          await settleOne(store, { claimed: retried, attempt: failure(2), next: 'retry', nextAttemptAt: now }, now),
        ).toBe(true);
        const third = await claimOnly(store, 'k-1');
        expect(third.attempt).toBe(3);
        await deliver(store, third);
        await claimOnly(store, 'k-2');
      }),
    );

    it(
      'hands out the next entry once the first is given up, by the relay or by the retry budget',
      withStore(async (store) => {
        for (const index of [1, 2, 3]) await enqueueKeyed(store, `k-${index}`, 'sub-1', index);
        const first = await claimOnly(store, 'k-1');
        expect(await settleOne(store, { claimed: first, attempt: failure(1), next: 'undelivered' })).toBe(true);
        const second = await claimOnly(store, 'k-2');
        const now = new Date();
        expect(
          await settleOne(store, { claimed: second, attempt: failure(1), next: 'retry', nextAttemptAt: now }),
        ).toBe(true);
        // Out of budget: k-2 goes undelivered unsent, and k-3 is claimed by this claim or the next.
        const budget = { limit: 10, leaseMs, now: new Date(), owner: 'relay-a', maxAttempts: 1 };
        const claims = [...(await store.claim(budget)), ...(await store.claim(budget))];
        expect(claims.map((claimed) => claimed.id)).toEqual(['k-3']);
        expect((await store.getEntry('k-2'))?.state).toBe('undelivered');
      }),
    );

    it(
      'claims the first entries of different keys together, and entries without a key as before',
      withStore(async (store) => {
        await enqueueKeyed(store, 'a-1', 'sub-a');
        await enqueueKeyed(store, 'plain-1', undefined);
        await enqueueKeyed(store, 'a-2', 'sub-a');
        await enqueueKeyed(store, 'b-1', 'sub-b');
        await enqueueKeyed(store, 'plain-2', undefined);
        await enqueueKeyed(store, 'b-2', 'sub-b');
        await enqueueKeyed(store, 'plain-3', undefined);
        expect(await claimIds(store)).toEqual(['a-1', 'b-1', 'plain-1', 'plain-2', 'plain-3']);
        expect(await claimIds(store, 'relay-b')).toEqual([]);
      }),
    );

    it(
      'holds the next entry behind a scheduled one of its key, and lets it go when that is cancelled',
      withStore(async (store) => {
        const tomorrow = new Date(Date.now() + 86_400_000);
        expect(
          await store.enqueue(entryOf(1, 'hooks', { id: 'k-1', orderingKey: 'sub-1', availableAt: tomorrow })),
        ).toBe(true);
        await enqueueKeyed(store, 'k-2', 'sub-1');
        expect(await claimIds(store)).toEqual([]);
        expect(await store.cancel('k-1')).toBe(true);
        await claimOnly(store, 'k-2');
      }),
    );

    it(
      'puts a redelivered entry at the end of its key, behind the entries pending then',
      withStore(async (store) => {
        for (const index of [1, 2, 3]) await enqueueKeyed(store, `k-${index}`, 'sub-1', index);
        const first = await claimOnly(store, 'k-1');
        expect(await settleOne(store, { claimed: first, attempt: failure(1), next: 'undelivered' })).toBe(true);
        const second = await claimOnly(store, 'k-2');
        expect(await store.redeliver({ ids: ['k-1'] }, new Date())).toBe(1);
        expect(await claimIds(store)).toEqual([]);
        await deliver(store, second);
        await deliver(store, await claimOnly(store, 'k-3'));
        const again = await claimOnly(store, 'k-1');
        expect(again).toMatchObject({ attempt: 1, orderingKey: 'sub-1' });
        await deliver(store, again);
        expect(await claimIds(store)).toEqual([]);
        expect(await store.pendingCount()).toBe(0);
      }),
    );

    it(
      'keeps the order of several entries of one key redelivered by a filter',
      withStore(async (store) => {
        for (const index of [1, 2]) {
          await enqueueKeyed(store, `k-${index}`, 'sub-1', index);
          const claimed = await claimOnly(store, `k-${index}`);
          expect(await settleOne(store, { claimed, attempt: failure(1), next: 'undelivered' })).toBe(true);
        }
        await enqueueKeyed(store, 'k-3', 'sub-1', 3);
        const third = await claimOnly(store, 'k-3');
        expect(await store.redeliver({ topic: 'hooks' }, new Date())).toBe(2);
        expect(await claimIds(store)).toEqual([]);
        await deliver(store, third);
        await deliver(store, await claimOnly(store, 'k-1'));
        await deliver(store, await claimOnly(store, 'k-2'));
        expect(await store.pendingCount()).toBe(0);
      }),
    );

    it(
      'never lets two relays hold two entries of one key, and delivers each key in enqueue order',
      withStore(async (store) => {
        const keys = ['sub-a', 'sub-b', 'sub-c'];
        const perKey = 8;
        const entries = keys.flatMap((key, k) =>
          Array.from({ length: perKey }, (_, index) =>
            entryOf(k * 100 + index, 'hooks', { id: `${key}/${index}`, orderingKey: key }),
          ),
        );
        entries.push(
          ...Array.from({ length: 6 }, (_, index) => entryOf(1000 + index, 'hooks', { id: `plain/${index}` })),
        );
        expect(await store.enqueueBatch(entries)).toEqual(entries.map(() => true));
        const second = options.openBeside === undefined ? store : await options.openBeside(store);
        const held = new Map<string, string>();
        const deliveredOrder = new Map<string, string[]>();
        const violations: string[] = [];
        let left = entries.length;
        const relay = async (relayStore: OutboxStore, owner: string): Promise<void> => {
          const deadline = Date.now() + 60_000;
          while (left > 0 && Date.now() < deadline) {
            const claims = await relayStore.claim({ limit: 4, leaseMs, now: new Date(), owner });
            for (const claimed of claims) {
              const key = claimed.orderingKey;
              if (key === undefined) continue;
              if (held.has(key)) violations.push(`${owner} claimed ${claimed.id} while ${held.get(key)} was held`);
              held.set(key, claimed.id);
            }
            if (claims.length === 0) await sleep(2);
            for (const claimed of claims) {
              await sleep(Math.random() * 3);
              const key = claimed.orderingKey;
              // Released before the settlement commits: a claim can see the next one only after it.
              if (key !== undefined) {
                held.delete(key);
                deliveredOrder.set(key, [...(deliveredOrder.get(key) ?? []), claimed.id]);
              }
              const [settled] = await relayStore.settle(
                [{ claimed, attempt: delivered(claimed.attempt), next: 'delivered' }],
                new Date(),
              );
              expect(settled).toBe(true);
              left--;
            }
          }
        };
        try {
          await Promise.all([relay(store, 'relay-a'), relay(second, 'relay-b'), relay(store, 'relay-c')]);
        } finally {
          if (second !== store) await second.close();
        }
        expect(violations).toEqual([]);
        expect(left).toBe(0);
        for (const key of keys) {
          expect(deliveredOrder.get(key)).toEqual(Array.from({ length: perKey }, (_, index) => `${key}/${index}`));
        }
        expect(await store.pendingCount()).toBe(0);
      }),
    );

    it(
      'stores an undelivered entry with a key without holding up the key',
      withStore(async (store) => {
        const failed = { ...failure(1), at: new Date().toISOString() };
        expect(await store.enqueue(entryOf(1, 'hooks', { id: 'k-0', orderingKey: 'sub-1', failure: failed }))).toBe(
          true,
        );
        await enqueueKeyed(store, 'k-1', 'sub-1', 2);
        await claimOnly(store, 'k-1');
        expect((await store.getEntry('k-0'))?.orderingKey).toBe('sub-1');
      }),
    );
  });
}
