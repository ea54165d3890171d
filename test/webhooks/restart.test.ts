import { SqliteWebhookStore } from '@events-protocol/webhooks';
import { describe, expect, it } from 'vitest';
import { eventually, orderPlaced, receiver, storeFile, subscriptionTo, webhooks } from './harness.js';

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
      await first.dispatcher.deliverEvent(event);
      await eventually(() => received.length === 1);
      await first.close();

      const second = await webhooks({ filename: file.filename });
      await using _second = second;
      const [pending] = await second.store.listDeliveries({ eventId: event.id });
      expect(pending).toMatchObject({ state: 'failed', attempts: 1 });
      await eventually(
        async () => (await second.store.listDeliveries({ eventId: event.id }))[0]?.state === 'delivered',
      );
      expect(received).toHaveLength(3);
      expect((await second.store.listAttempts({ eventId: event.id })).map((attempt) => attempt.attempt)).toEqual([
        1, 2, 3,
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
      await setup.dispatcher.deliverEvent(event);
      await setup.dispatcher.close();
      // The crashed process: it claimed the delivery for 400 ms and never recorded an attempt.
      const crashed = new SqliteWebhookStore({ filename: file.filename });
      const claimedAt = Date.now();
      expect(await crashed.claimDue(claimedAt, 400, 10)).toHaveLength(1);
      await crashed.close();
      await setup.store.close();

      const next = await webhooks({ filename: file.filename });
      await using _next = next;
      await eventually(async () => (await next.store.listDeliveries({ eventId: event.id }))[0]?.state === 'delivered');
      expect(received).toHaveLength(1);
      expect(received[0]?.at).toBeGreaterThanOrEqual(claimedAt + 400);
      // The crashed claim counts as an attempt, recorded as such.
      expect(
        (await next.store.listAttempts({ eventId: event.id })).map((attempt) => [
          attempt.attempt,
          attempt.status,
          attempt.error?.slice(0, 13),
        ]),
      ).toEqual([
        [1, undefined, 'LEASE_EXPIRED'],
        [2, 200, undefined],
      ]);
    } finally {
      await file.cleanup();
    }
  });
});
