import { WebhookDispatcher, type WebhookStore } from '@events-protocol/webhooks';
import { describe, expect, it } from 'vitest';
import { eventually, memoryStore, orderPlaced, receiver, subscriptionTo, webhooks } from './harness.js';

/** Records the limit and lease of every claim the store gets. */
function recordClaims(store: WebhookStore): { limit: number; leaseMs: number; claimed: number }[] {
  const claims: { limit: number; leaseMs: number; claimed: number }[] = [];
  const claim = store.deliveries.claim.bind(store.deliveries);
  store.deliveries.claim = async (options) => {
    const claimed = await claim(options);
    claims.push({ limit: options.limit, leaseMs: options.leaseMs, claimed: claimed.length });
    return claimed;
  };
  return claims;
}

describe('the webhook worker’s batchSize', () => {
  it('claims batchSize deliveries at a time, with a lease that covers the batch', async () => {
    const { running, received, url } = await receiver(() => ({ status: 200, delayMs: 5 }));
    await using _receiver = running;
    await using hooks = await webhooks({ startWorker: false, batchSize: 40, concurrency: 4 });
    await hooks.subscriptions.create(subscriptionTo(url));
    const claims = recordClaims(hooks.store);
    await hooks.dispatcher.deliverEvents(Array.from({ length: 100 }, (_, index) => orderPlaced(`o-${index}`)));
    hooks.dispatcher.start();
    await eventually(() => received.length >= 100);
    await eventually(async () => (await hooks.dispatcher.outbox.pendingCount()) === 0);
    // 40 + 40 + 20: three claims carry all 100 (one more may find nothing).
    expect(claims.filter((claim) => claim.claimed > 0).map((claim) => claim.claimed)).toEqual([40, 40, 20]);
    // Ten attempts' worth of both timeouts (2 s each in the harness), + 30 s.
    expect(claims.every((claim) => claim.limit === 40 && claim.leaseMs === 10 * 4000 + 30_000)).toBe(true);
  });

  it('claims concurrency at a time by default, and refuses a batchSize that is not a positive integer', async () => {
    const store = await memoryStore();
    try {
      const claims = recordClaims(store);
      const dispatcher = new WebhookDispatcher({ store, concurrency: 3, timeouts: 1000, pollIntervalMs: 50 });
      await eventually(() => claims.length > 0);
      await dispatcher.close();
      expect(claims[0]).toMatchObject({ limit: 3, leaseMs: 2000 + 30_000 });
      for (const batchSize of [0, -1, 2.5, Number.NaN]) {
        expect(() => new WebhookDispatcher({ store, batchSize, startWorker: false })).toThrow(
          expect.objectContaining({ code: 'INVALID_OPTIONS' }) as Error,
        );
      }
    } finally {
      await store.close();
    }
  });
});
