import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, consoleFixture } from './console-fixture.js';

// Webhook endpoints through the console: their health after real failed attempts, disable,
// enable and rotate applied to the real store and logged, and no secret in any answer.
describe('webhook endpoints in the operator console', () => {
  let fixture: Awaited<ReturnType<typeof consoleFixture>>;
  const answers: string[] = [];
  const call = async (...args: Parameters<typeof callApi>): ReturnType<typeof callApi> => {
    const answer = await callApi(...args);
    answers.push(answer.text);
    return answer;
  };
  beforeAll(async () => {
    fixture = await consoleFixture({ events: 2 });
  });
  afterAll(async () => {
    await fixture.close();
  });

  it('lists endpoints with their state and health, the secret, credentials and header values masked', async () => {
    const list = await call(fixture.url, 'endpoints');
    expect(list.status).toBe(200);
    const [endpoint] = list.json['endpoints'] as Record<string, unknown>[];
    expect(endpoint).toMatchObject({
      id: fixture.subscription.id,
      targetUrl: fixture.target.url,
      state: 'failing',
      headers: ['x-api-key'],
      auth: { type: 'basic' },
      successRate: 0,
      health: { consecutiveFailures: 4, failed: 4, delivered: 0 },
    });
    expect(endpoint).not.toHaveProperty('secret');
  });

  it('disables and enables an endpoint, confirmed by its id, each logged', async () => {
    const { id } = fixture.subscription;
    const refused = await call(fixture.url, `endpoints/${id}/disable`, { body: { confirm: 'another' } });
    expect([refused.status, refused.json['code']]).toEqual([400, 'CONFIRMATION_REQUIRED']);
    expect((await fixture.hooks.subscriptions.get(id)).active).toBe(true);

    const disabled = await call(fixture.url, `endpoints/${id}/disable`, {
      body: { confirm: id, reason: 'receiver down' },
    });
    expect(disabled.json).toMatchObject({ action: 'disable', result: 'disabled' });
    const stored = await fixture.hooks.subscriptions.get(id);
    expect(stored.active).toBe(false);
    expect(stored.disabled).toMatchObject({ reason: 'receiver down', automatic: false });
    expect(fixture.logger.lines.at(-1)?.object).toMatchObject({
      operator: { name: 'alice' },
      action: 'disable',
      endpoint: id,
      count: 1,
    });

    const enabled = await call(fixture.url, `endpoints/${id}/enable`, { body: { confirm: id } });
    expect(enabled.json).toMatchObject({ action: 'enable', result: 'active' });
    expect((await fixture.hooks.subscriptions.get(id)).active).toBe(true);
    expect(fixture.logger.lines.at(-1)?.object).toMatchObject({ action: 'enable', endpoint: id });
  });

  it('rotates a secret without ever answering it, and no answer holds any secret', async () => {
    const { id } = fixture.subscription;
    const before = (await fixture.hooks.subscriptions.get(id)).secret;
    const rotated = await call(fixture.url, `endpoints/${id}/rotate`, { body: { confirm: id, overlapMs: 60_000 } });
    expect(rotated.json).toMatchObject({ action: 'rotate', result: 'rotated' });
    const after = await fixture.hooks.subscriptions.get(id);
    expect(after.secret).not.toBe(before);
    expect(after.previousSecrets?.map((previous) => previous.secret)).toEqual([before]);
    expect(fixture.logger.lines.at(-1)?.object).toMatchObject({ action: 'rotate', selection: { overlapMs: 60_000 } });

    const bad = await call(fixture.url, `endpoints/${id}/rotate`, { body: { confirm: id, overlapMs: -1 } });
    expect(bad.status).toBe(400);
    expect((await call(fixture.url, 'endpoints/nope/enable', { body: { confirm: 'nope' } })).status).toBe(404);

    await call(fixture.url, `endpoints/${id}`);
    await call(fixture.url, 'overview');
    await call(fixture.url, 'outboxes/webhooks/undelivered');
    await call(fixture.url, `outboxes/webhooks/entries/${encodeURIComponent(fixture.deliveryIds[0]!)}`);
    const logged = JSON.stringify(fixture.logger.lines);
    for (const secret of [...fixture.secrets, after.secret]) {
      for (const text of [...answers, logged]) expect(text).not.toContain(secret);
    }
  });
});
