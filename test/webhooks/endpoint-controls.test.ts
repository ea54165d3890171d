import { isWebhookError, WebhookDispatcher, WebhookSubscriptions } from '@events-protocol/webhooks';
import { describe, expect, it } from 'vitest';
import { memoryStore, subscriptionTo } from './harness.js';

async function controls() {
  const store = await memoryStore();
  const subscriptions = new WebhookSubscriptions(store, { targetPolicy: { allowPrivateNetworks: true } });
  return { store, subscriptions, [Symbol.asyncDispose]: () => store.close() };
}

describe('endpoint controls of WebhookSubscriptions', () => {
  it('states: active, failing, disabled by an operator, paused, and active again through update', async () => {
    await using api = await controls();
    const { id } = await api.subscriptions.create(subscriptionTo('http://127.0.0.1:9/controls'));
    const state = async () => (await api.subscriptions.listEndpoints())[0]?.state;
    expect(await state()).toBe('active');
    await api.store.subscriptions.recordAttemptOutcome(id, { delivered: false, at: new Date() });
    expect(await state()).toBe('failing');
    const disabled = await api.subscriptions.disable(id, { reason: 'maintenance' });
    expect(disabled).toMatchObject({ active: false, disabled: { reason: 'maintenance', automatic: false } });
    expect(await state()).toBe('disabled');
    // Disabling again keeps the first reason and time.
    expect(await api.subscriptions.disable(id, { reason: 'other' })).toEqual(disabled);
    const enabled = await api.subscriptions.update(id, { active: true });
    expect(enabled.disabled).toBeUndefined();
    expect(await api.subscriptions.health(id)).toMatchObject({ consecutiveFailures: 0, failed: 0 });
    expect(await state()).toBe('active');
    await api.subscriptions.update(id, { active: false });
    expect(await state()).toBe('paused');
    for (const reason of ['', 'x'.repeat(501)]) {
      const error: unknown = await api.subscriptions.disable(id, { reason }).catch((caught: unknown) => caught);
      expect(isWebhookError(error) && error.issues[0]?.path).toBe('reason');
    }
    const missing: unknown = await api.subscriptions.health('ghost').catch((caught: unknown) => caught);
    expect(isWebhookError(missing) && missing.code).toBe('SUBSCRIPTION_NOT_FOUND');
  });

  it('a dispatcher refuses an endpoint policy with bad numbers', async () => {
    await using api = await controls();
    let error: unknown;
    try {
      new WebhookDispatcher({ store: api.store, startWorker: false, endpointPolicy: { disableAfterFailures: 0 } });
    } catch (caught) {
      error = caught;
    }
    expect(isWebhookError(error) && error.code).toBe('INVALID_OPTIONS');
  });
});
