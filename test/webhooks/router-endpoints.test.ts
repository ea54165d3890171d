import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { adminApi } from './admin-api.js';
import { orderPlaced, receiver, secret, settled, subscriptionTo } from './harness.js';

describe('webhooksRouter endpoint controls', () => {
  it('disables and enables a subscription, with its health and state', async () => {
    await using api = await adminApi({ basePath: '/webhooks/subscriptions' });
    const { id } = await api.subscriptions.create(subscriptionTo('https://hooks.example.com/controls'));
    expect(await api.call('GET', `/${id}/health`)).toMatchObject({
      status: 200,
      body: { state: 'active', successRate: null, health: { subscriptionId: id, consecutiveFailures: 0 } },
    });
    const disabled = await api.call('POST', `/${id}/disable`, { reason: 'receiver migrating' });
    expect(disabled).toMatchObject({
      status: 200,
      body: { id, active: false, disabled: { reason: 'receiver migrating', automatic: false }, secret: 'whsec_…' },
    });
    expect((await api.call('GET', `/${id}/health`)).body).toMatchObject({ state: 'disabled' });
    expect(await api.call('POST', `/${id}/disable`, { reason: 7 })).toMatchObject({
      status: 400,
      body: { code: 'INVALID_SUBSCRIPTION', issues: [{ path: 'reason' }] },
    });
    const enabled = await api.call('POST', `/${id}/enable`);
    expect(enabled).toMatchObject({ status: 200, body: { id, active: true } });
    expect(enabled.body).not.toHaveProperty('disabled');
    for (const action of ['disable', 'enable', 'rotate-secret', 'recover']) {
      expect(await api.call('POST', `/ghost/${action}`, { since: new Date().toISOString() })).toMatchObject({
        status: 404,
        body: { code: 'SUBSCRIPTION_NOT_FOUND' },
      });
    }
    expect((await api.call('GET', '/ghost/health')).status).toBe(404);
    expect((await api.call('POST', `/${id}/disable`, {}, { authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await api.subscriptions.get(id)).active).toBe(true);
  });

  it('rotates the secret, showing the new one once and uncached, and both sign during the overlap', async () => {
    const verdicts: boolean[][] = [];
    let rotatedTo = '';
    const { running, url } = await receiver((_n, request) => {
      verdicts.push(
        [secret, rotatedTo].map((each) => {
          try {
            new Webhook(each).verify(request.body, request.headers as Record<string, string>);
            return true;
          } catch {
            return false;
          }
        }),
      );
      return 204;
    });
    await using _receiver = running;
    await using api = await adminApi({ basePath: '/webhooks/subscriptions' });
    const { id } = await api.subscriptions.create(subscriptionTo(url));
    const rotated = await api.call('POST', `/${id}/rotate-secret`, { overlapMs: 3_600_000 });
    expect(rotated.status).toBe(200);
    expect(rotated.headers.get('cache-control')).toBe('no-store');
    rotatedTo = String(rotated.body?.secret);
    expect(rotatedTo).toMatch(/^whsec_/);
    expect(rotatedTo).toBe((await api.subscriptions.get(id)).secret);
    expect(JSON.stringify(rotated.body?.subscription)).not.toContain(secret.slice(6));
    expect(JSON.stringify(rotated.body?.subscription)).not.toContain(rotatedTo.slice(6));
    expect((await api.call('GET', `/${id}`)).body).toMatchObject({
      previousSecrets: [{ expiresAt: expect.any(String) as string }],
    });
    const [status] = await api.dispatcher.deliverEvent(orderPlaced());
    expect(await settled(api.dispatcher, status?.deliveryId)).toMatchObject({ state: 'delivered' });
    expect(verdicts).toEqual([[true, true]]);
    expect(await api.call('POST', `/${id}/rotate-secret`, { overlapMs: 'soon' })).toMatchObject({
      status: 400,
      body: { code: 'INVALID_SUBSCRIPTION', issues: [{ path: 'overlapMs' }] },
    });
  });

  it('recovers what was given up since a time, and refuses a since that is not a date', async () => {
    let failing = true;
    const { running, received, url } = await receiver(() => (failing ? 500 : 204));
    await using _receiver = running;
    await using api = await adminApi({ basePath: '/webhooks/subscriptions' });
    const { id } = await api.subscriptions.create(
      subscriptionTo(url, { retry: { schedule: 'fixed', options: { delayMs: 10, maxAttempts: 1 } } }),
    );
    const [early] = await api.dispatcher.deliverEvent(orderPlaced('early'));
    const earlyDelivery = await settled(api.dispatcher, early?.deliveryId, { state: 'undelivered' });
    const since = new Date(Date.parse(earlyDelivery.history[0]!.at) + 1000);
    while (Date.now() <= since.getTime()) await new Promise((resolve) => setTimeout(resolve, 50));
    const [late] = await api.dispatcher.deliverEvent(orderPlaced('late'));
    await settled(api.dispatcher, late?.deliveryId, { state: 'undelivered' });
    failing = false;
    expect(await api.call('POST', `/${id}/recover`, { since: 'yesterday' })).toMatchObject({
      status: 400,
      body: { code: 'INVALID_OPTIONS' },
    });
    expect(await api.call('POST', `/${id}/recover`, { since: since.toISOString() })).toMatchObject({
      status: 200,
      body: { redelivered: 1 },
    });
    expect(await settled(api.dispatcher, late?.deliveryId, { state: 'delivered' })).toMatchObject({
      state: 'delivered',
    });
    expect((await api.dispatcher.getDelivery(early?.deliveryId ?? ''))?.state).toBe('undelivered');
    expect(
      received.map((request) => (JSON.parse(request.body) as { payload: { orderId: string } }).payload.orderId),
    ).toEqual(['early', 'late', 'late']);
  });
});
