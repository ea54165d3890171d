import { webhookDeliveryId, WebhookSubscriptions } from '@events-protocol/webhooks';
import { describe, expect, it } from 'vitest';
import { eventually, orderPlaced, receiver, subscriptionTo } from './harness.js';
import { localTargets, transactionDispatcher, transactionStores } from './transaction-stores.js';

// A batch inside the caller's transaction: a ROLLBACK leaves nothing of any event of it, even one
// past 1,000 deliveries (stored in several statements), and a COMMIT delivers all of it.

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** 600 events to two subscriptions: 1,200 deliveries, more than one statement holds. */
const burst = (label: string) => Array.from({ length: 600 }, (_, index) => orderPlaced(`${label}-${index}`));

const stores = transactionStores();

describe.each(stores)('deliverEvents in the caller’s %s transaction', (_name, open) => {
  it('stores nothing of any event when the transaction rolls back; delivers every one once it commits', async () => {
    const { running, received, url } = await receiver();
    await using _receiver = running;
    await using app = await open();
    const subscriptions = new WebhookSubscriptions(app.store, { targetPolicy: localTargets });
    const first = await subscriptions.create(subscriptionTo(`${url}/1`));
    await subscriptions.create(subscriptionTo(`${url}/2`));
    await using dispatcher = transactionDispatcher(app.store);

    const rolledBack = burst('rolled-back');
    await app.begin();
    await app.insertOrder('o-rolled-back');
    const statuses = await dispatcher.deliverEvents(rolledBack, app.within);
    expect(statuses.flat().every((status) => status.state === 'pending')).toBe(true);
    expect(statuses.flat()).toHaveLength(1200);
    // The relay runs meanwhile; it must not see what is not committed.
    await pause(300);
    await app.rollback();
    await pause(300);
    expect(received).toHaveLength(0);
    expect(await dispatcher.outbox.pendingCount()).toBe(0);
    for (const event of [rolledBack[0]!, rolledBack[599]!]) {
      expect(await dispatcher.getDelivery(webhookDeliveryId(first.id, event.id))).toBeUndefined();
    }
    expect(await app.orderCount()).toBe(0);

    const committed = [orderPlaced('c-1'), orderPlaced('c-2'), orderPlaced('c-3')];
    await app.begin();
    await dispatcher.deliverEvents(committed, app.within);
    await app.commit();
    await eventually(() => received.length >= 6);
    await eventually(async () => (await dispatcher.outbox.pendingCount()) === 0);
    expect(received.map((request) => request.headers['webhook-id']).sort()).toEqual(
      committed.flatMap((event) => [event.id, event.id]).sort(),
    );
  });
});
