import { WebhookSubscriptions } from '@events-protocol/webhooks';
import { RetryScheduleRegistry, fixedSchedule } from '@events-protocol/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { memoryStore, rejection, secret, subscriptionTo } from './harness.js';

describe('WebhookSubscriptions', () => {
  const open = async () => {
    const store = await memoryStore();
    return { store, subscriptions: new WebhookSubscriptions(store) };
  };

  it('creates, reads, lists, changes and deletes subscriptions, with defaults', async () => {
    const { store, subscriptions } = await open();
    const created = await subscriptions.create({
      eventType: 'order:placed',
      targetUrl: 'https://hooks.example.com/orders',
      secret,
    });
    expect(created).toMatchObject({
      id: expect.any(String),
      active: true,
      retry: { schedule: 'exponential', options: { maxAttempts: 8 } },
    });
    expect(await subscriptions.get(created.id)).toEqual(created);
    const changed = await subscriptions.update(created.id, { active: false, headers: { 'x-tenant': 'acme' } });
    expect(changed).toMatchObject({ active: false, headers: { 'x-tenant': 'acme' }, targetUrl: created.targetUrl });
    expect(await store.subscriptions.activeSubscriptionsFor('order:placed')).toEqual([]);
    expect(await subscriptions.list({ eventType: 'order:placed' })).toEqual([changed]);
    await subscriptions.delete(created.id);
    expect((await rejection(subscriptions.get(created.id))).code).toBe('SUBSCRIPTION_NOT_FOUND');
    expect((await rejection(subscriptions.delete(created.id))).code).toBe('SUBSCRIPTION_NOT_FOUND');
    await store.close();
  });

  it('rejects invalid subscriptions with an issue per field', async () => {
    const { store, subscriptions } = await open();
    const error = await rejection(subscriptions.create({ eventType: '', targetUrl: 'ftp://x', secret: 'short' }));
    expect(error.code).toBe('INVALID_SUBSCRIPTION');
    expect(error.issues.map((issue) => issue.path).sort()).toEqual(['eventType', 'secret', 'targetUrl']);
    const extra = await rejection(
      subscriptions.create({ ...subscriptionTo('https://x.example'), colour: 'red' } as never),
    );
    expect(extra.issues[0]?.message).toMatch(/colour/);
    const reserved = await rejection(
      subscriptions.create(subscriptionTo('https://x.example', { headers: { 'webhook-id': 'forged' } })),
    );
    expect(reserved.issues[0]).toMatchObject({ path: 'headers' });
    await store.close();
  });

  it('rejects an unknown retry schedule or bad options when saved, not when an event fires', async () => {
    const { store, subscriptions } = await open();
    const unknown = await rejection(
      subscriptions.create(subscriptionTo('https://x.example', { retry: { schedule: 'sometimes' } })),
    );
    expect(unknown.issues).toEqual([
      { path: 'retry', message: expect.stringMatching(/unknown retry schedule 'sometimes'/) },
    ]);
    const bad = await rejection(
      subscriptions.create(
        subscriptionTo('https://x.example', { retry: { schedule: 'fixed', options: { delayMs: -5 } } }),
      ),
    );
    expect(bad.issues[0]?.path).toBe('retry');
    const created = await subscriptions.create(subscriptionTo('https://x.example'));
    const patched = await rejection(subscriptions.update(created.id, { retry: { schedule: 'linear', options: {} } }));
    expect(patched.issues[0]?.path).toBe('retry');
    expect(await subscriptions.get(created.id)).toEqual(created);
    await store.close();
  });

  it('accepts a schedule users register by name, with its options validated by their schema', async () => {
    const store = await memoryStore();
    const schedules = new RetryScheduleRegistry().register(
      'hourly',
      z.strictObject({ maxAttempts: z.number().int().min(1).max(48) }),
      (options) => fixedSchedule({ delayMs: 3_600_000, maxAttempts: options.maxAttempts }),
    );
    const subscriptions = new WebhookSubscriptions(store, { schedules });
    const created = await subscriptions.create(
      subscriptionTo('https://x.example', { retry: { schedule: 'hourly', options: { maxAttempts: 24 } } }),
    );
    expect(created.retry).toEqual({ schedule: 'hourly', options: { maxAttempts: 24 } });
    const error = await rejection(
      subscriptions.create(
        subscriptionTo('https://x.example', { retry: { schedule: 'hourly', options: { maxAttempts: 99 } } }),
      ),
    );
    expect(error.issues[0]?.path).toBe('retry');
    await store.close();
  });

  it('refuses private and loopback targets unless the policy allows them, and a duplicate id', async () => {
    const { store, subscriptions } = await open();
    const error = await rejection(subscriptions.create(subscriptionTo('http://169.254.169.254/latest/meta-data')));
    expect(error.issues).toEqual([{ path: 'targetUrl', message: expect.stringMatching(/cloud metadata/) }]);
    await subscriptions.create(subscriptionTo('https://x.example', { id: 'sub-1' }));
    const duplicate = await rejection(subscriptions.create(subscriptionTo('https://y.example', { id: 'sub-1' })));
    expect(duplicate.issues).toEqual([{ path: 'id', message: 'already exists' }]);
    await store.close();
  });

  it('changes only the fields a patch names: no default fills in the others', async () => {
    const { store, subscriptions } = await open();
    const created = await subscriptions.create(
      subscriptionTo('https://x.example', {
        active: false,
        retry: { schedule: 'fixed', options: { delayMs: 5, maxAttempts: 2 } },
      }),
    );
    const changed = await subscriptions.update(created.id, { headers: { 'x-tenant': 'acme' } });
    expect(changed).toEqual({ ...created, headers: { 'x-tenant': 'acme' }, updatedAt: changed.updatedAt });
    await store.close();
  });
});
