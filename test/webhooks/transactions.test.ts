import { WebhookSubscriptions } from '@events-protocol/webhooks';
import { describe, expect, it } from 'vitest';
import { orderPlaced, receiver, settled, subscriptionTo } from './harness.js';
import { localTargets, transactionDispatcher, transactionStores } from './transaction-stores.js';

// deliverEvent in the caller's transaction: a ROLLBACK sends and stores nothing, a COMMIT delivers.

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const stores = transactionStores();

describe.each(stores)('deliverEvent in the caller’s %s transaction', (_name, open) => {
  it('sends nothing and stores nothing when the transaction rolls back; delivers once it commits', async () => {
    const { running, received, url } = await receiver();
    await using _receiver = running;
    await using app = await open();
    await new WebhookSubscriptions(app.store, { targetPolicy: localTargets }).create(subscriptionTo(url));
    await using dispatcher = transactionDispatcher(app.store);

    await app.begin();
    await app.insertOrder('o-rolled-back');
    const [status] = await dispatcher.deliverEvent(orderPlaced('o-rolled-back'), app.within);
    expect(status?.state).toBe('pending');
    // The relay runs meanwhile; it must not see (let alone send) what is not committed.
    await pause(300);
    await app.rollback();
    await pause(300);
    expect(received).toHaveLength(0);
    expect(await dispatcher.getDelivery(status?.deliveryId ?? '')).toBeUndefined();
    expect(await app.orderCount()).toBe(0);

    const committed = orderPlaced('o-committed');
    await app.begin();
    await app.insertOrder('o-committed');
    const [kept] = await dispatcher.deliverEvent(committed, app.within);
    await app.commit();
    await settled(dispatcher, kept?.deliveryId, { state: 'delivered' });
    expect(received.map((request) => request.headers['webhook-id'])).toEqual([committed.id]);
    expect(await app.orderCount()).toBe(1);
  });
});
