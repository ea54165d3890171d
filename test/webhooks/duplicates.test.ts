import { WebhookSubscriptions } from '@events-protocol/webhooks';
import { SqliteWebhookStore } from '@events-protocol/webhooks/sqlite';
import { describe, expect, it } from 'vitest';
import {
  memoryStore,
  rejection,
  orderPlaced,
  receiver,
  settled,
  storeFile,
  subscriptionTo,
  webhooks,
} from './harness.js';

// The store itself holds the rule (its unique index, under concurrency and across connections):
// the store contract checks that on every store. These tests check what users see of it.

describe('one subscription per event type and target URL', () => {
  it('refuses a second subscription to the same event type and URL, naming the first', async () => {
    const store = await memoryStore();
    const subscriptions = new WebhookSubscriptions(store);
    const first = await subscriptions.create(subscriptionTo('https://hooks.example.com/orders'));
    for (const sameUrl of [
      'https://hooks.example.com/orders',
      'HTTPS://Hooks.Example.COM/orders',
      'https://hooks.example.com:443/orders',
    ]) {
      const duplicate = await rejection(subscriptions.create(subscriptionTo(sameUrl)));
      expect(duplicate.code, sameUrl).toBe('SUBSCRIPTION_EXISTS');
      expect(duplicate.existingId).toBe(first.id);
      expect(duplicate.message).toContain(first.id);
    }
    // Another event type, or another URL, is another subscription.
    await subscriptions.create(subscriptionTo('https://hooks.example.com/orders', { eventType: 'order:shipped' }));
    const other = await subscriptions.create(subscriptionTo('https://hooks.example.com/other'));
    expect(await subscriptions.list({ eventType: 'order:placed' })).toHaveLength(2);
    // Changing one into a copy of another is refused the same way, and changes nothing.
    const moved = await rejection(subscriptions.update(other.id, { targetUrl: 'https://hooks.example.com/orders' }));
    expect(moved).toMatchObject({ code: 'SUBSCRIPTION_EXISTS', existingId: first.id });
    expect((await subscriptions.get(other.id)).targetUrl).toBe('https://hooks.example.com/other');
    await store.close();
  });

  it('returns the existing subscription instead with ifExists: return', async () => {
    const store = await memoryStore();
    const subscriptions = new WebhookSubscriptions(store.subscriptions);
    const first = await subscriptions.create(subscriptionTo('https://hooks.example.com/orders'));
    const again = await subscriptions.create(subscriptionTo('https://hooks.example.com/orders'), {
      ifExists: 'return',
    });
    expect(again).toEqual(first);
    expect(await subscriptions.list()).toEqual([first]);
    await store.close();
  });

  it('lets exactly one of many concurrent creates through, from two connections to one database', async () => {
    const file = await storeFile();
    const stores = [
      new SqliteWebhookStore({ filename: file.filename }),
      new SqliteWebhookStore({ filename: file.filename }),
    ];
    try {
      for (const store of stores) await store.setup();
      const results = await Promise.allSettled(
        Array.from({ length: 12 }, (_, index) =>
          new WebhookSubscriptions(stores[index % 2] as SqliteWebhookStore).create(
            subscriptionTo('https://hooks.example.com/orders'),
          ),
        ),
      );
      const created = results.filter((result) => result.status === 'fulfilled');
      expect(created).toHaveLength(1);
      for (const result of results) {
        if (result.status === 'rejected') expect(result.reason).toMatchObject({ code: 'SUBSCRIPTION_EXISTS' });
      }
      expect(await stores[0]?.subscriptions.listSubscriptions()).toHaveLength(1);
    } finally {
      for (const store of stores) await store.close();
      await file.cleanup();
    }
  });

  it('so an event reaches a URL once, however often it was subscribed', async () => {
    const { running, received, url } = await receiver();
    await using _receiver = running;
    await using hooks = await webhooks();
    await hooks.subscriptions.create(subscriptionTo(url));
    await hooks.subscriptions.create(subscriptionTo(url), { ifExists: 'return' });
    await rejection(hooks.subscriptions.create(subscriptionTo(url)));
    const statuses = await hooks.dispatcher.deliverEvent(orderPlaced());
    expect(statuses).toHaveLength(1);
    await settled(hooks.dispatcher, statuses[0]?.deliveryId, { state: 'delivered' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(received).toHaveLength(1);
  });
});
