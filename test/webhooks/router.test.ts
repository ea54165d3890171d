import { SqliteWebhookStore, WebhookDispatcher, WebhookSubscriptions, webhooksRouter } from '@events-protocol/webhooks';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { listen } from '../support/http-server.js';
import { eventually, orderPlaced, receiver, secret, subscriptionTo } from './harness.js';

const token = 'admin-token-for-tests';

async function adminApi() {
  const store = new SqliteWebhookStore({ filename: ':memory:' });
  const subscriptions = new WebhookSubscriptions(store, { targetPolicy: { allowPrivateNetworks: true } });
  const app = express();
  app.use(
    webhooksRouter({
      subscriptions,
      deliveries: store,
      authorize: (request) => request.get('authorization') === `Bearer ${token}`,
    }),
  );
  const running = await listen(app.listen(0, '127.0.0.1'));
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${running.origin}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>),
    };
  };
  const close = async () => {
    await running.close();
    await store.close();
  };
  return { store, subscriptions, call, [Symbol.asyncDispose]: close };
}

describe('webhooksRouter', () => {
  it('creates, lists, reads, changes and deletes subscriptions, never showing secrets', async () => {
    await using api = await adminApi();
    const created = await api.call('POST', '/webhooks/subscriptions', {
      ...subscriptionTo('https://hooks.example.com/orders'),
      auth: { type: 'bearer', token: 'receiver-token' },
    });
    expect(created.status).toBe(201);
    const id = String(created.body?.id);
    expect(created.headers.get('location')).toBe(`/webhooks/subscriptions/${id}`);
    expect(created.body).toMatchObject({ eventType: 'order:placed', secret: 'whsec_…', auth: { type: 'bearer' } });
    expect(JSON.stringify(created.body)).not.toContain(secret.slice(6));
    expect(JSON.stringify(created.body)).not.toContain('receiver-token');

    const listed = await api.call('GET', '/webhooks/subscriptions?eventType=order:placed');
    expect(listed).toMatchObject({ status: 200, body: { subscriptions: [{ id }] } });
    expect((await api.call('GET', '/webhooks/subscriptions?eventType=order:shipped')).body).toEqual({
      subscriptions: [],
    });
    expect((await api.call('GET', `/webhooks/subscriptions/${id}`)).body).toMatchObject({ id, active: true });

    const patched = await api.call('PATCH', `/webhooks/subscriptions/${id}`, { active: false });
    expect(patched).toMatchObject({ status: 200, body: { id, active: false } });
    expect((await api.subscriptions.get(id)).auth).toEqual({ type: 'bearer', token: 'receiver-token' });

    expect((await api.call('DELETE', `/webhooks/subscriptions/${id}`)).status).toBe(204);
    expect(await api.call('GET', `/webhooks/subscriptions/${id}`)).toMatchObject({
      status: 404,
      body: { code: 'SUBSCRIPTION_NOT_FOUND' },
    });
    expect((await api.call('DELETE', `/webhooks/subscriptions/${id}`)).status).toBe(404);
  });

  it('answers 401 without the token, before reading anything', async () => {
    await using api = await adminApi();
    for (const [method, path] of [
      ['GET', '/webhooks/subscriptions'],
      ['POST', '/webhooks/subscriptions'],
      ['DELETE', '/webhooks/subscriptions/x'],
    ] as const) {
      const response = await api.call(
        method,
        path,
        method === 'POST' ? subscriptionTo('https://x.example') : undefined,
        {
          authorization: 'Bearer wrong',
        },
      );
      expect(response).toMatchObject({ status: 401, body: { code: 'UNAUTHORIZED' } });
    }
    expect(await api.subscriptions.list()).toEqual([]);
  });

  it('answers 400 with an issue per field for invalid subscriptions, and for bodies that are not JSON', async () => {
    await using api = await adminApi();
    const invalid = await api.call('POST', '/webhooks/subscriptions', {
      eventType: 'order:placed',
      targetUrl: 'file:///etc/passwd',
      secret: 'x',
      retry: { schedule: 'never' },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({ code: 'INVALID_SUBSCRIPTION', message: expect.stringContaining('targetUrl') });
    expect((invalid.body?.issues as { path: string }[]).map((issue) => issue.path).sort()).toEqual([
      'secret',
      'targetUrl',
    ]);
    const schedule = await api.call(
      'POST',
      '/webhooks/subscriptions',
      subscriptionTo('https://x.example', { retry: { schedule: 'never' } }),
    );
    expect(schedule.body).toMatchObject({ code: 'INVALID_SUBSCRIPTION', issues: [{ path: 'retry' }] });
    expect(await api.call('POST', '/webhooks/subscriptions', '{"eventType": ')).toMatchObject({
      status: 400,
      body: { code: 'INVALID_JSON' },
    });
    expect(await api.call('POST', '/webhooks/subscriptions', 'null')).toMatchObject({
      status: 400,
      body: { code: 'INVALID_SUBSCRIPTION' },
    });
    expect(await api.call('POST', '/webhooks/subscriptions', { padding: 'x'.repeat(70_000) })).toMatchObject({
      status: 413,
      body: { code: 'BODY_TOO_LARGE' },
    });
    expect(await api.subscriptions.list()).toEqual([]);
  });

  it("shows a subscription's deliveries and attempts", async () => {
    const { running, url } = await receiver((n) => (n === 1 ? 502 : 200));
    await using _receiver = running;
    await using api = await adminApi();
    const created = await api.call('POST', '/webhooks/subscriptions', subscriptionTo(url));
    const id = String(created.body?.id);
    const dispatcher = new WebhookDispatcher({
      store: api.store,
      targetPolicy: { allowPrivateNetworks: true },
      pollIntervalMs: 50,
    });
    const event = orderPlaced();
    await dispatcher.deliverEvent(event);
    await eventually(async () => (await api.store.listDeliveries({ eventId: event.id }))[0]?.state === 'delivered');
    await dispatcher.close();

    const deliveries = await api.call('GET', `/webhooks/subscriptions/${id}/deliveries`);
    expect(deliveries.body).toEqual({
      deliveries: [
        expect.objectContaining({ eventId: event.id, eventName: 'order:placed', state: 'delivered', attempts: 2 }),
      ],
    });
    const attempts = await api.call('GET', `/webhooks/subscriptions/${id}/attempts`);
    expect((attempts.body?.attempts as { status: number }[]).map((attempt) => attempt.status)).toEqual([502, 200]);
    expect((await api.call('GET', '/webhooks/subscriptions/nope/attempts')).status).toBe(404);
  });
});

describe('webhooksRouter and duplicate subscriptions', () => {
  it('answers 409 naming the existing subscription, or returns it with ?ifExists=return', async () => {
    await using api = await adminApi();
    const first = await api.call('POST', '/webhooks/subscriptions', subscriptionTo('https://hooks.example.com/orders'));
    expect(first.status).toBe(201);
    const again = await api.call('POST', '/webhooks/subscriptions', subscriptionTo('https://hooks.example.com/orders'));
    expect(again).toMatchObject({
      status: 409,
      body: {
        code: 'SUBSCRIPTION_EXISTS',
        existingId: first.body?.id,
        message: expect.stringContaining(String(first.body?.id)),
      },
    });
    const idempotent = await api.call(
      'POST',
      '/webhooks/subscriptions?ifExists=return',
      subscriptionTo('https://hooks.example.com/orders'),
    );
    expect(idempotent).toMatchObject({ status: 200, body: { id: first.body?.id, secret: 'whsec_…' } });
    expect(await api.subscriptions.list()).toHaveLength(1);
  });
});

describe('webhooksRouter and generated secrets', () => {
  it('shows a generated secret once, in the answer that created it, and masked ever after', async () => {
    await using api = await adminApi();
    const { secret: _none, ...withoutSecret } = subscriptionTo('https://hooks.example.com/orders');
    const created = await api.call('POST', '/webhooks/subscriptions', withoutSecret);
    expect(created.status).toBe(201);
    const generated = String(created.body?.secret);
    expect(generated).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect((await api.subscriptions.get(String(created.body?.id))).secret).toBe(generated);
    const read = await api.call('GET', `/webhooks/subscriptions/${String(created.body?.id)}`);
    expect(read.body?.secret).toBe('whsec_…');
  });
});
