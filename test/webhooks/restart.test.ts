import { SqliteWebhookStore } from '@events-protocol/webhooks/sqlite';
import { describe, expect, it } from 'vitest';
import {
  deliveryOf,
  eventually,
  orderPlaced,
  receiver,
  settled,
  storeFile,
  subscriptionTo,
  webhooks,
} from './harness.js';

describe('webhook delivery across restarts', () => {
  it('a delivery retrying when its process stops is finished by the next process on the same store', async () => {
    const { running, received, url } = await receiver((n) => (n <= 2 ? 500 : 200));
    await using _receiver = running;
    const file = await storeFile();
    try {
      const event = orderPlaced();
      const first = await webhooks({ filename: file.filename });
      await first.subscriptions.create(
        subscriptionTo(url, { retry: { schedule: 'fixed', options: { delayMs: 300, maxAttempts: 5 } } }),
      );
      const [status] = await first.dispatcher.deliverEvent(event);
      await eventually(() => received.length === 1);
      await first.close();

      const second = await webhooks({ filename: file.filename });
      await using _second = second;
      expect(await deliveryOf(second.dispatcher, status?.deliveryId)).toMatchObject({ state: 'pending', attempts: 1 });
      const delivery = await settled(second.dispatcher, status?.deliveryId, { state: 'delivered' });
      expect(received).toHaveLength(3);
      expect(delivery.history.map((attempt) => [attempt.attempt, attempt.status])).toEqual([
        [1, 500],
        [2, 500],
        [3, 200],
      ]);
    } finally {
      await file.cleanup();
    }
  });

  it('a delivery claimed by a process that crashed mid-attempt is taken again once its lease lapses', async () => {
    const { running, received, url } = await receiver();
    await using _receiver = running;
    const file = await storeFile();
    try {
      const event = orderPlaced();
      const setup = await webhooks({ filename: file.filename, startWorker: false });
      await setup.subscriptions.create(subscriptionTo(url));
      const [status] = await setup.dispatcher.deliverEvent(event);
      await setup.close();
      // The crashed process: it claimed the delivery for 400 ms and never settled it.
      const crashed = new SqliteWebhookStore({ filename: file.filename });
      const claimedAt = Date.now();
      const claimed = await crashed.deliveries.claim({
        limit: 10,
        leaseMs: 400,
        now: new Date(claimedAt),
        owner: 'crashed',
      });
      expect(claimed.map((entry) => entry.id)).toEqual([status?.deliveryId]);
      await crashed.close();

      const next = await webhooks({ filename: file.filename });
      await using _next = next;
      const delivery = await settled(next.dispatcher, status?.deliveryId, { state: 'delivered' });
      expect(received).toHaveLength(1);
      expect(received[0]?.at).toBeGreaterThanOrEqual(claimedAt + 400);
      // The crashed claim counts as an attempt, recorded as such.
      expect(
        delivery.history.map((attempt) => [attempt.attempt, attempt.outcome, attempt.status, attempt.error?.code]),
      ).toEqual([
        [1, 'interrupted', undefined, 'LEASE_EXPIRED'],
        [2, 'delivered', 200, undefined],
      ]);
    } finally {
      await file.cleanup();
    }
  });
});
