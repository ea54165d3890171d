import type { Subscription, SubscriptionStore, WebhookStore } from '@events-protocol/webhooks';
import { describe, expect, it } from 'vitest';

const secret = `whsec_${Buffer.alloc(32, 5).toString('base64')}`;
let created = 0;

function subscription(overrides: Partial<Subscription> = {}): Subscription {
  const at = new Date(Date.UTC(2026, 1, 1, 0, 0, 0, ++created)).toISOString();
  return {
    id: `health-${created}`,
    eventType: 'order:placed',
    targetUrl: `https://hooks.example.com/health/${created}`,
    secret,
    active: true,
    retry: { schedule: 'fixed', options: { delayMs: 50, maxAttempts: 3 } },
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

const at = (second: number): Date => new Date(Date.UTC(2026, 2, 1, 12, 0, second));

async function failures(store: SubscriptionStore, id: string, count: number, from: number) {
  for (let index = 0; index < count; index++) {
    await store.recordAttemptOutcome(id, { delivered: false, at: at(from + index) });
  }
}

/**
 * The endpoint health and the compare-and-set every {@link WebhookStore} offers, on a real
 * server: counts, the failing streak, resets, and atomic updates from several connections.
 */
export function describeEndpointHealthContract(
  withStore: (test: (store: WebhookStore, peer: () => Promise<WebhookStore>) => Promise<void>) => Promise<void>,
): void {
  describe('endpoint health', () => {
    it('counts failures in a streak that a delivery ends, keeping the latest times', () =>
      withStore(async ({ subscriptions }) => {
        const target = subscription();
        await subscriptions.insertSubscription(target);
        expect(await subscriptions.getHealth([target.id])).toEqual(new Map());
        await failures(subscriptions, target.id, 3, 0);
        expect(await subscriptions.recordAttemptOutcome(target.id, { delivered: false, at: at(10) })).toEqual({
          subscriptionId: target.id,
          consecutiveFailures: 4,
          failingSince: at(0).toISOString(),
          lastFailedAt: at(10).toISOString(),
          delivered: 0,
          failed: 4,
        });
        expect(await subscriptions.recordAttemptOutcome(target.id, { delivered: true, at: at(11) })).toEqual({
          subscriptionId: target.id,
          consecutiveFailures: 0,
          lastDeliveredAt: at(11).toISOString(),
          lastFailedAt: at(10).toISOString(),
          delivered: 1,
          failed: 4,
        });
        // A failure recorded late (an older attempt of another dispatcher) starts a streak but keeps the latest time.
        const late = await subscriptions.recordAttemptOutcome(target.id, { delivered: false, at: at(5) });
        expect(late).toMatchObject({ consecutiveFailures: 1, failingSince: at(5).toISOString() });
        expect(late?.lastFailedAt).toBe(at(10).toISOString());
        expect((await subscriptions.getHealth([target.id, 'unknown', target.id])).get(target.id)).toEqual(late);
      }));

    it('counts a run of deliveries written at once, on a first record and on a later one', () =>
      withStore(async ({ subscriptions }) => {
        const target = subscription();
        await subscriptions.insertSubscription(target);
        expect(await subscriptions.recordAttemptOutcome(target.id, { delivered: true, at: at(1), count: 5 })).toEqual({
          subscriptionId: target.id,
          consecutiveFailures: 0,
          lastDeliveredAt: at(1).toISOString(),
          delivered: 5,
          failed: 0,
        });
        await failures(subscriptions, target.id, 2, 2);
        expect(
          await subscriptions.recordAttemptOutcome(target.id, { delivered: true, at: at(9), count: 3 }),
        ).toMatchObject({ consecutiveFailures: 0, delivered: 8, failed: 2, lastDeliveredAt: at(9).toISOString() });
        // A failure counts one whatever it says.
        expect(
          await subscriptions.recordAttemptOutcome(target.id, { delivered: false, at: at(10), count: 4 }),
        ).toMatchObject({ consecutiveFailures: 1, delivered: 8, failed: 3 });
      }));

    it('records nothing for an unknown subscription, and forgets a reset or deleted one', () =>
      withStore(async ({ subscriptions }) => {
        expect(await subscriptions.recordAttemptOutcome('ghost', { delivered: false, at: at(0) })).toBeUndefined();
        const kept = subscription();
        const reset = subscription();
        const deleted = subscription();
        for (const each of [kept, reset, deleted]) {
          await subscriptions.insertSubscription(each);
          await failures(subscriptions, each.id, 2, 0);
        }
        expect((await subscriptions.listHealth()).map((health) => health.subscriptionId).sort()).toEqual(
          [kept.id, reset.id, deleted.id].sort(),
        );
        await subscriptions.resetHealth(reset.id);
        expect(await subscriptions.deleteSubscription(deleted.id)).toBe(true);
        expect((await subscriptions.listHealth()).map((health) => health.subscriptionId)).toEqual([kept.id]);
        expect([...(await subscriptions.getHealth([kept.id, reset.id, deleted.id, 'ghost'])).keys()]).toEqual([
          kept.id,
        ]);
        // A reset endpoint counts from zero again.
        expect(await subscriptions.recordAttemptOutcome(reset.id, { delivered: false, at: at(30) })).toMatchObject({
          consecutiveFailures: 1,
          failed: 1,
          failingSince: at(30).toISOString(),
        });
        // Re-creating a deleted one does not bring its health back.
        await subscriptions.insertSubscription({ ...deleted, targetUrl: `${deleted.targetUrl}/again` });
        expect(await subscriptions.getHealth([deleted.id])).toEqual(new Map());
      }));

    it('loses no update among 80 concurrent ones from several connections', () =>
      withStore(async (store, peer) => {
        const peers = [store, await peer(), await peer()];
        try {
          const target = subscription();
          await store.subscriptions.insertSubscription(target);
          await Promise.all(
            Array.from({ length: 60 }, (_, index) =>
              peers[index % peers.length]!.subscriptions.recordAttemptOutcome(target.id, {
                delivered: false,
                at: at(index),
              }),
            ),
          );
          const [health] = await peers[1]!.subscriptions.listHealth();
          expect(health).toMatchObject({ consecutiveFailures: 60, failed: 60, delivered: 0 });
          expect(health?.failingSince).toBe(at(0).toISOString());
          expect(health?.lastFailedAt).toBe(at(59).toISOString());
          await Promise.all(
            Array.from({ length: 20 }, (_, index) =>
              peers[index % peers.length]!.subscriptions.recordAttemptOutcome(target.id, {
                delivered: index % 2 === 0,
                at: at(100 + index),
              }),
            ),
          );
          const after = (await store.subscriptions.getHealth([target.id])).get(target.id);
          expect(after).toMatchObject({ failed: 70, delivered: 10 });
          expect(after?.lastDeliveredAt).toBe(at(118).toISOString());
          expect(after?.consecutiveFailures).toBeLessThanOrEqual(10);
        } finally {
          for (const other of peers.slice(1)) await other.close();
        }
      }));

    it('replaces only the subscription as it was read: of concurrent changes from several connections, one wins', () =>
      withStore(async (store, peer) => {
        const peers = [store, await peer(), await peer()];
        try {
          const target = subscription({
            headers: { 'x-a': '1' },
            retry: { schedule: 'fixed', options: { b: 2, a: 1 } },
          });
          await store.subscriptions.insertSubscription(target);
          const read = await peers[1]!.subscriptions.getSubscription(target.id);
          if (read === undefined) throw new Error('not stored');
          const changes = Array.from({ length: 9 }, (_, index) => ({
            ...read,
            active: false,
            disabled: { at: at(index).toISOString(), reason: `racer ${index}`, automatic: true },
          }));
          const won = await Promise.all(
            changes.map((next, index) => peers[index % peers.length]!.subscriptions.replaceSubscriptionIf(read, next)),
          );
          expect(won.filter(Boolean)).toHaveLength(1);
          const winner = changes[won.indexOf(true)];
          expect(await store.subscriptions.getSubscription(target.id)).toEqual(winner);
          expect(await store.subscriptions.activeSubscriptionsFor(target.eventType)).toEqual([]);
          // What was read before the change no longer matches; a missing one never does.
          expect(await store.subscriptions.replaceSubscriptionIf(read, { ...read, active: true })).toBe(false);
          expect(await store.subscriptions.replaceSubscriptionIf(winner!, { ...winner!, active: true })).toBe(true);
          expect(await store.subscriptions.activeSubscriptionsFor(target.eventType)).toEqual([
            { ...winner, active: true },
          ]);
          const ghost = subscription();
          expect(await store.subscriptions.replaceSubscriptionIf(ghost, ghost)).toBe(false);
          expect(await store.subscriptions.getSubscription(ghost.id)).toBeUndefined();
        } finally {
          for (const other of peers.slice(1)) await other.close();
        }
      }));
  });
}
