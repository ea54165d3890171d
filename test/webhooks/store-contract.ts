import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createPublishedEvent } from '@events-protocol/publish';
import { isWebhookError, type Subscription, type WebhookStore } from '@events-protocol/webhooks';
import { describe, expect, it } from 'vitest';
import { describeEndpointHealthContract } from './endpoint-health-contract.js';
import { rejection } from './harness.js';

// Imports an entry in a fresh Node process (a test runner's module cache would hide what an import
// loads) and prints what it exports and which database drivers that loaded.
const importReport = `
import { createRequire } from 'node:module';
const module = await import(process.argv[1]);
const cache = Object.keys(createRequire(process.cwd() + '/').cache);
const drivers = ['better-sqlite3', 'pg', 'ioredis'].filter((driver) =>
  cache.some((file) => file.includes('/node_modules/' + driver + '/')));
process.stdout.write(JSON.stringify({ exports: Object.keys(module).sort(), drivers }));
`;

/** What importing `entry` alone exports, and which database drivers it loads. */
export async function importAlone(entry: string): Promise<{ exports: string[]; drivers: string[] }> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', '--conditions=@events-protocol/source', '--input-type=module', '-e', importReport, entry],
    { cwd: fileURLToPath(new URL('..', import.meta.url)) },
  );
  return JSON.parse(stdout) as { exports: string[]; drivers: string[] };
}

/** A fresh, empty store for one test, and a way to open another handle (connection) on the same data. */
export interface OpenedWebhookStore {
  store: WebhookStore;
  /** Another store on the same database, file or Redis keys, over its own connection. */
  peer: () => Promise<WebhookStore>;
}

const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
let created = 0;

/** A complete subscription, every optional JSON field set unless overridden. */
function subscription(overrides: Partial<Subscription> = {}): Subscription {
  const at = new Date(Date.UTC(2026, 0, 1, 0, 0, 0, ++created)).toISOString();
  return {
    id: `sub-${created}`,
    eventType: 'order:placed',
    targetUrl: `https://hooks.example.com/orders/${created}`,
    secret,
    active: true,
    retry: { schedule: 'fixed', options: { delayMs: 50, maxAttempts: 3, nested: { list: [1, 'two', null] } } },
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

const ids = (subscriptions: readonly Subscription[]): string[] => subscriptions.map((each) => each.id);

/**
 * The behaviour every {@link WebhookStore} shares, run on each store against a real server: the
 * subscriptions (uniqueness under concurrency, order, JSON fields) and a deliveries store that is
 * a working outbox store on the same database.
 */
export function describeSubscriptionStoreContract(name: string, open: () => Promise<OpenedWebhookStore>): void {
  async function withStore(test: (store: WebhookStore, peer: () => Promise<WebhookStore>) => Promise<void>) {
    const { store, peer } = await open();
    try {
      await test(store, peer);
    } finally {
      await store.close();
    }
  }

  describe(`${name} webhook store`, () => {
    describeEndpointHealthContract(withStore);
    it('stores and reads back every field of a subscription, JSON fields included', () =>
      withStore(async ({ subscriptions }) => {
        const full = subscription({
          auth: { type: 'basic', username: 'hooks', password: 'pa:ss wörd' },
          headers: { 'x-tenant': 'acme', 'x-empty': '' },
          callback: 'audit',
          includeIdentity: true,
        });
        const bearer = subscription({ auth: { type: 'bearer', token: 't0k3n' }, includeIdentity: false });
        const plain = subscription({ active: false });
        for (const each of [full, bearer, plain]) await subscriptions.insertSubscription(each);
        expect(await subscriptions.getSubscription(full.id)).toEqual(full);
        expect(await subscriptions.getSubscription(bearer.id)).toEqual(bearer);
        expect(await subscriptions.getSubscription(plain.id)).toEqual(plain);
        expect(await subscriptions.getSubscription('no-such-id')).toBeUndefined();
        expect(await subscriptions.listSubscriptions()).toEqual([full, bearer, plain]);
      }));

    it('lists oldest first, not by id, and filters by event type', () =>
      withStore(async ({ subscriptions }) => {
        const c = subscription({ id: 'c' });
        const a = subscription({ id: 'a', eventType: 'order:shipped' });
        const b = subscription({ id: 'b' });
        for (const each of [c, a, b]) await subscriptions.insertSubscription(each);
        expect(ids(await subscriptions.listSubscriptions())).toEqual(['c', 'a', 'b']);
        expect(ids(await subscriptions.listSubscriptions({ eventType: 'order:placed' }))).toEqual(['c', 'b']);
        expect(ids(await subscriptions.listSubscriptions({ eventType: 'order:shipped' }))).toEqual(['a']);
        expect(await subscriptions.listSubscriptions({ eventType: 'order:cancelled' })).toEqual([]);
      }));

    it('refuses a second subscription with the same id, leaving the first as it was', () =>
      withStore(async ({ subscriptions }) => {
        const first = subscription({ id: 'same' });
        await subscriptions.insertSubscription(first);
        const error = await rejection(subscriptions.insertSubscription(subscription({ id: 'same' })));
        expect(error.code).toBe('INVALID_SUBSCRIPTION');
        expect(error.issues).toEqual([{ path: 'id', message: expect.any(String) as string }]);
        expect(await subscriptions.listSubscriptions()).toEqual([first]);
      }));

    it('refuses a second subscription to the same event type and target URL, naming the first', () =>
      withStore(async ({ subscriptions }) => {
        const first = subscription({ targetUrl: 'https://hooks.example.com/same' });
        await subscriptions.insertSubscription(first);
        const error = await rejection(
          subscriptions.insertSubscription(subscription({ targetUrl: 'https://hooks.example.com/same' })),
        );
        expect(error.code).toBe('SUBSCRIPTION_EXISTS');
        expect(error.existingId).toBe(first.id);
        // The same URL for another event type, or another URL for the same type, is a new subscription.
        await subscriptions.insertSubscription(
          subscription({ targetUrl: 'https://hooks.example.com/same', eventType: 'order:shipped' }),
        );
        await subscriptions.insertSubscription(subscription({ targetUrl: 'https://hooks.example.com/other' }));
        expect(await subscriptions.listSubscriptions()).toHaveLength(3);
      }));

    it('lets exactly one of 20 concurrent inserts to the same target succeed, over several connections', () =>
      withStore(async (store, peer) => {
        const peers = [store, await peer(), await peer(), await peer()];
        try {
          const targetUrl = 'https://hooks.example.com/contended';
          const contenders = Array.from({ length: 20 }, (_, index) =>
            subscription({ id: `racer-${index}`, targetUrl }),
          );
          const outcomes = await Promise.allSettled(
            contenders.map((each, index) => peers[index % peers.length]!.subscriptions.insertSubscription(each)),
          );
          const winners = contenders.filter((_, index) => outcomes[index]!.status === 'fulfilled');
          expect(winners).toHaveLength(1);
          for (const outcome of outcomes) {
            if (outcome.status === 'fulfilled') continue;
            expect(isWebhookError(outcome.reason)).toBe(true);
            expect(outcome.reason).toMatchObject({ code: 'SUBSCRIPTION_EXISTS', existingId: winners[0]!.id });
          }
          expect(await store.subscriptions.listSubscriptions()).toEqual(winners);
          expect(await store.subscriptions.activeSubscriptionsFor('order:placed')).toEqual(winners);
        } finally {
          for (const other of peers.slice(1)) await other.close();
        }
      }));

    it('replaces a subscription in place, moving its target and event type', () =>
      withStore(async ({ subscriptions }) => {
        const first = subscription({ targetUrl: 'https://hooks.example.com/old' });
        const second = subscription();
        await subscriptions.insertSubscription(first);
        await subscriptions.insertSubscription(second);
        const moved = {
          ...first,
          eventType: 'order:shipped',
          targetUrl: 'https://hooks.example.com/new',
          headers: { 'x-version': '2' },
          updatedAt: new Date().toISOString(),
        };
        await subscriptions.replaceSubscription(moved);
        expect(await subscriptions.getSubscription(first.id)).toEqual(moved);
        expect(await subscriptions.listSubscriptions()).toEqual([moved, second]);
        expect(await subscriptions.activeSubscriptionsFor('order:placed')).toEqual([second]);
        expect(await subscriptions.activeSubscriptionsFor('order:shipped')).toEqual([moved]);
        // The old target is free again; the new one is taken.
        await subscriptions.insertSubscription(
          subscription({ id: 'reuses-old', targetUrl: 'https://hooks.example.com/old' }),
        );
        const taken = await rejection(
          subscriptions.insertSubscription(
            subscription({ eventType: 'order:shipped', targetUrl: 'https://hooks.example.com/new' }),
          ),
        );
        expect(taken).toMatchObject({ code: 'SUBSCRIPTION_EXISTS', existingId: first.id });
      }));

    it('refuses to replace an unknown subscription, or onto a target another one has', () =>
      withStore(async ({ subscriptions }) => {
        const unknown = await rejection(subscriptions.replaceSubscription(subscription({ id: 'ghost' })));
        expect(unknown.code).toBe('SUBSCRIPTION_NOT_FOUND');
        expect(await subscriptions.getSubscription('ghost')).toBeUndefined();
        const first = subscription();
        const second = subscription();
        await subscriptions.insertSubscription(first);
        await subscriptions.insertSubscription(second);
        const error = await rejection(subscriptions.replaceSubscription({ ...second, targetUrl: first.targetUrl }));
        expect(error).toMatchObject({ code: 'SUBSCRIPTION_EXISTS', existingId: first.id });
        expect(await subscriptions.listSubscriptions()).toEqual([first, second]);
        // Keeping its own target is no conflict.
        await subscriptions.replaceSubscription({ ...second, active: false });
        expect(await subscriptions.getSubscription(second.id)).toEqual({ ...second, active: false });
      }));

    it('deletes a subscription once, freeing its target', () =>
      withStore(async ({ subscriptions }) => {
        const first = subscription();
        await subscriptions.insertSubscription(first);
        expect(await subscriptions.deleteSubscription(first.id)).toBe(true);
        expect(await subscriptions.deleteSubscription(first.id)).toBe(false);
        expect(await subscriptions.getSubscription(first.id)).toBeUndefined();
        expect(await subscriptions.listSubscriptions()).toEqual([]);
        expect(await subscriptions.activeSubscriptionsFor(first.eventType)).toEqual([]);
        const again = subscription({ targetUrl: first.targetUrl });
        await subscriptions.insertSubscription(again);
        expect(await subscriptions.activeSubscriptionsFor(first.eventType)).toEqual([again]);
      }));

    it('finds only the active subscriptions of the event type asked for, oldest first', () =>
      withStore(async ({ subscriptions }) => {
        const later = subscription({ id: 'z-first' });
        const paused = subscription({ active: false });
        const other = subscription({ eventType: 'order:shipped' });
        const earlier = subscription({ id: 'a-second' });
        for (const each of [later, paused, other, earlier]) await subscriptions.insertSubscription(each);
        expect(await subscriptions.activeSubscriptionsFor('order:placed')).toEqual([later, earlier]);
        expect(await subscriptions.activeSubscriptionsFor('order:shipped')).toEqual([other]);
        expect(await subscriptions.activeSubscriptionsFor('order')).toEqual([]);
        await subscriptions.replaceSubscription({ ...paused, active: true });
        await subscriptions.replaceSubscription({ ...later, active: false });
        expect(await subscriptions.activeSubscriptionsFor('order:placed')).toEqual([
          { ...paused, active: true },
          earlier,
        ]);
      }));

    it('sets up idempotently, keeping what is stored', () =>
      withStore(async (store) => {
        await store.setup();
        const kept = subscription();
        await store.subscriptions.insertSubscription(kept);
        expect(await store.setup()).toEqual([]);
        expect(await store.subscriptions.setup()).toEqual([]);
        expect(await store.subscriptions.listSubscriptions()).toEqual([kept]);
      }));

    it('stores the deliveries of a batch of events in one call, each with its id and topic, a repeated one once', () =>
      withStore(async (store) => {
        await store.setup();
        const events = Array.from({ length: 3 }, (_, index) =>
          createPublishedEvent({ name: 'order:placed', payload: { index } }),
        );
        const entries = events.flatMap((event) =>
          ['sub-a', 'sub-b'].map((topic) => ({
            id: `${topic.length}:${topic}:${event.id}`,
            event,
            topic,
            attributes: {},
            enqueuedAt: new Date(),
          })),
        );
        const [repeated] = entries;
        const flags = await store.deliveries.enqueueBatch([...entries, repeated!]);
        expect(flags).toEqual([...entries.map(() => true), false]);
        expect(await store.deliveries.enqueueBatch(entries.slice(0, 2))).toEqual([false, false]);
        expect(await store.deliveries.pendingCount()).toBe(6);
        const stored = await store.deliveries.getEntry(entries[5]!.id);
        expect(stored).toMatchObject({ id: entries[5]!.id, topic: 'sub-b', state: 'pending' });
        expect(stored?.event.id).toBe(events[2]!.id);
      }));

    it('keeps deliveries in a working outbox store beside the subscriptions', () =>
      withStore(async (store, peer) => {
        await store.setup();
        const target = subscription();
        await store.subscriptions.insertSubscription(target);
        const event = createPublishedEvent({ name: 'order:placed', payload: { orderId: 'o-1', cents: 1250 } });
        const entry = {
          id: `${target.id}:${event.id}`,
          event,
          topic: undefined,
          attributes: {},
          enqueuedAt: new Date(),
        };
        expect(await store.deliveries.enqueue(entry)).toBe(true);
        expect(await store.deliveries.enqueue(entry)).toBe(false);
        // Another connection sees and claims what this one stored.
        const other = await peer();
        try {
          const claimed = await other.deliveries.claim({
            limit: 10,
            leaseMs: 60_000,
            now: new Date(),
            owner: 'contract',
          });
          expect(claimed.map((each) => [each.id, each.event.id, each.attempt])).toEqual([[entry.id, event.id, 1]]);
          expect(claimed[0]!.event.payload).toEqual({ orderId: 'o-1', cents: 1250 });
          expect(await other.subscriptions.getSubscription(target.id)).toEqual(target);
        } finally {
          await other.close();
        }
        expect(await store.deliveries.pendingCount()).toBe(1);
      }));
  });
}
