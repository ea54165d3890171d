import {
  isWebhookError,
  SqliteWebhookStore,
  WebhookSubscriptions,
  type Subscription,
  type WebhookError,
} from '@events-protocol/webhooks';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { eventually, orderPlaced, receiver, secret, storeFile, subscriptionTo, webhooks } from './harness.js';

async function rejection(promise: Promise<unknown>): Promise<WebhookError> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!isWebhookError(error)) throw new Error(`expected a WebhookError, got ${String(error)}`);
  return error;
}

describe('one subscription per event type and target URL', () => {
  it('refuses a second subscription to the same event type and URL, naming the first', async () => {
    const store = new SqliteWebhookStore({ filename: ':memory:' });
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
    const store = new SqliteWebhookStore({ filename: ':memory:' });
    const subscriptions = new WebhookSubscriptions(store);
    const first = await subscriptions.create(subscriptionTo('https://hooks.example.com/orders'));
    const again = await subscriptions.create(subscriptionTo('https://hooks.example.com/orders'), {
      ifExists: 'return',
    });
    expect(again).toEqual(first);
    expect(await subscriptions.list()).toEqual([first]);
    await store.close();
  });

  it('holds in the store itself: inserts that skip every check cannot store a duplicate', async () => {
    const store = new SqliteWebhookStore({ filename: ':memory:' });
    const now = new Date().toISOString();
    const base: Subscription = {
      id: 'a',
      eventType: 'order:placed',
      targetUrl: 'https://hooks.example.com/orders',
      secret,
      active: true,
      retry: { schedule: 'fixed', options: { delayMs: 10, maxAttempts: 1 } },
      createdAt: now,
      updatedAt: now,
    };
    await store.insertSubscription(base);
    const error = await rejection(store.insertSubscription({ ...base, id: 'b' }));
    expect(error).toMatchObject({ code: 'SUBSCRIPTION_EXISTS', existingId: 'a' });
    await store.insertSubscription({ ...base, id: 'c', targetUrl: 'https://hooks.example.com/c' });
    expect(await rejection(store.replaceSubscription({ ...base, id: 'c' }))).toMatchObject({
      code: 'SUBSCRIPTION_EXISTS',
      existingId: 'a',
    });
    expect((await store.listSubscriptions()).map((subscription) => subscription.id)).toEqual(['a', 'c']);
    await store.close();
  });

  it('lets exactly one of many concurrent creates through, from two connections to one database', async () => {
    const file = await storeFile();
    const stores = [
      new SqliteWebhookStore({ filename: file.filename }),
      new SqliteWebhookStore({ filename: file.filename }),
    ];
    try {
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
      expect(await stores[0]?.listSubscriptions()).toHaveLength(1);
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
    const event = orderPlaced();
    await hooks.dispatcher.deliverEvent(event);
    await eventually(async () => (await hooks.store.listDeliveries({ eventId: event.id }))[0]?.state === 'delivered');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(received).toHaveLength(1);
  });

  it('brings a database of the earlier schema up to date, and names duplicates it already holds', async () => {
    const file = await storeFile();
    try {
      const old = new Database(file.filename);
      old.exec(
        'CREATE TABLE webhook_subscriptions (id TEXT PRIMARY KEY, event_type TEXT NOT NULL, document TEXT NOT NULL, active INTEGER NOT NULL)',
      );
      const insert = old.prepare('INSERT INTO webhook_subscriptions VALUES (?, ?, ?, 1)');
      const document = (id: string, targetUrl: string) =>
        JSON.stringify({ id, eventType: 'order:placed', targetUrl, secret, active: true });
      insert.run('one', 'order:placed', document('one', 'https://a.example/'));
      insert.run('two', 'order:placed', document('two', 'https://a.example/'));
      old.close();
      expect(() => new SqliteWebhookStore({ filename: file.filename })).toThrow(
        /several subscriptions to the same event type and URL \(order:placed → https:\/\/a\.example\/: one, two\)/,
      );
      const fix = new Database(file.filename);
      fix.prepare("DELETE FROM webhook_subscriptions WHERE id = 'two'").run();
      fix.close();
      const store = new SqliteWebhookStore({ filename: file.filename });
      const duplicate = await rejection(new WebhookSubscriptions(store).create(subscriptionTo('https://a.example/')));
      expect(duplicate).toMatchObject({ code: 'SUBSCRIPTION_EXISTS', existingId: 'one' });
      await store.close();
    } finally {
      await file.cleanup();
    }
  });
});
