import { describe, expect, it } from 'vitest';
import { adminApi } from './admin-api.js';
import { orderPlaced, receiver, secret, settled, subscriptionTo } from './harness.js';

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

  it("pages through a subscription's deliveries and attempts, redelivers and purges them", async () => {
    let accepting = false;
    const { running, url } = await receiver(() => (accepting ? 200 : 502));
    await using _receiver = running;
    await using api = await adminApi();
    const created = await api.call(
      'POST',
      '/webhooks/subscriptions',
      subscriptionTo(url, { retry: { schedule: 'fixed', options: { delayMs: 10, maxAttempts: 1 } } }),
    );
    const id = String(created.body?.id);
    const base = `/webhooks/subscriptions/${id}`;
    const deliveryIds: string[] = [];
    for (const orderId of ['o-1', 'o-2', 'o-3']) {
      const [status] = await api.dispatcher.deliverEvent(orderPlaced(orderId));
      await settled(api.dispatcher, status?.deliveryId, { state: 'undelivered' });
      deliveryIds.push(status?.deliveryId ?? '');
    }

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await api.call(
        'GET',
        `${base}/deliveries?state=undelivered&limit=2${cursor === undefined ? '' : `&cursor=${encodeURIComponent(cursor)}`}`,
      );
      expect(page.status).toBe(200);
      const deliveries = page.body?.deliveries as { id: string; state: string; eventType: string }[];
      expect(deliveries.length).toBeLessThanOrEqual(2);
      for (const delivery of deliveries) {
        expect(delivery).toMatchObject({ state: 'undelivered', eventType: 'order:placed', subscriptionId: id });
        expect(delivery).not.toHaveProperty('event');
        seen.push(delivery.id);
      }
      cursor = page.body?.nextCursor as string | undefined;
      pages++;
    } while (cursor !== undefined && pages < 10);
    expect(seen).toEqual(deliveryIds);
    expect(pages).toBeGreaterThanOrEqual(2);

    const attempts = await api.call('GET', `${base}/attempts?state=undelivered`);
    expect(attempts.body?.attempts).toEqual(
      deliveryIds.map((deliveryId): unknown => expect.objectContaining({ deliveryId, attempt: 1, status: 502 })),
    );
    const one = await api.call('GET', `${base}/deliveries/${encodeURIComponent(deliveryIds[0] ?? '')}`);
    expect(one).toMatchObject({ status: 200, body: { id: deliveryIds[0], state: 'undelivered', attempts: 1 } });
    expect(JSON.stringify([one.body, attempts.body])).not.toContain(secret.slice(6));

    accepting = true;
    expect((await api.call('POST', `${base}/deliveries/redeliver`, { ids: [deliveryIds[0]] })).body).toEqual({
      redelivered: 1,
    });
    const redelivered = await settled(api.dispatcher, deliveryIds[0], { state: 'delivered' });
    expect(redelivered.history.map((attempt) => attempt.status)).toEqual([502, 200]);
    expect((await api.call('POST', `${base}/deliveries/purge`)).body).toEqual({ purged: 2 });
    expect((await api.call('GET', `${base}/deliveries?state=undelivered`)).body).toEqual({ deliveries: [] });
  });

  it('refuses a bad page request, and answers 404 for an unknown subscription or delivery', async () => {
    await using api = await adminApi();
    const created = await api.call('POST', '/webhooks/subscriptions', subscriptionTo('https://hooks.example.com/x'));
    const base = `/webhooks/subscriptions/${String(created.body?.id)}`;
    for (const query of ['limit=0', 'limit=ten', 'state=delivered', 'cursor=not-a-cursor']) {
      expect(await api.call('GET', `${base}/deliveries?${query}`), query).toMatchObject({
        status: 400,
        body: { code: 'INVALID_QUERY' },
      });
    }
    expect((await api.call('POST', `${base}/deliveries/redeliver`, { ids: 'all' })).status).toBe(400);
    expect((await api.call('GET', '/webhooks/subscriptions/nope/attempts')).status).toBe(404);
    expect(await api.call('GET', `${base}/deliveries/nope`)).toMatchObject({
      status: 404,
      body: { code: 'DELIVERY_NOT_FOUND' },
    });
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
