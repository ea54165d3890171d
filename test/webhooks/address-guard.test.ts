import {
  checkTargetUrl,
  isWebhookError,
  WebhookDispatcher,
  WebhookSubscriptions,
  type Subscription,
  type TargetLookup,
} from '@events-protocol/webhooks';
import type { SqliteWebhookStore } from '@events-protocol/webhooks/sqlite';
import { describe, expect, it } from 'vitest';
import { memoryStore, orderPlaced, receiver, secret, settled, subscriptionTo } from './harness.js';

/** Every spelling of a loopback or unspecified address we know of, with the receiver's port. */
function loopbackSpellings(port: number): string[] {
  return [
    `http://127.0.0.1:${port}/hooks`,
    `http://127.0.0.1.:${port}/hooks`,
    `http://[::ffff:127.0.0.1]:${port}/hooks`,
    `http://[::ffff:7f00:1]:${port}/hooks`,
    `http://[0:0:0:0:0:ffff:127.0.0.1]:${port}/hooks`,
    `http://[::127.0.0.1]:${port}/hooks`,
    `http://[::7f00:1]:${port}/hooks`,
    `http://[::ffff:0:127.0.0.1]:${port}/hooks`,
    `http://[64:ff9b::127.0.0.1]:${port}/hooks`,
    `http://[64:ff9b::7f00:1]:${port}/hooks`,
    `http://[2002:7f00:1::]:${port}/hooks`,
    `http://[2002:7f00:1:0:1:2:3:4]:${port}/hooks`,
    `http://2130706433:${port}/hooks`,
    `http://0x7f000001:${port}/hooks`,
    `http://017700000001:${port}/hooks`,
    `http://0177.0.0.1:${port}/hooks`,
    `http://0x7f.0.0.1:${port}/hooks`,
    `http://0x7f.1:${port}/hooks`,
    `http://127.1:${port}/hooks`,
    `http://127.0.1:${port}/hooks`,
    `http://%31%32%37.0.0.1:${port}/hooks`,
    `http://[::1]:${port}/hooks`,
    `http://0.0.0.0:${port}/hooks`,
    `http://0:${port}/hooks`,
    `http://[::]:${port}/hooks`,
    `http://localhost:${port}/hooks`,
    `http://LOCALHOST.:${port}/hooks`,
    `http://hooks.localhost:${port}/hooks`,
    `http://loopback.test:${port}/hooks`,
  ];
}

/** A DNS that answers `loopback.test` with 127.0.0.1 and `rebinding.test` with whatever `current` holds. */
function fakeDns(): { lookup: TargetLookup; current: { address: string } } {
  const current = { address: '93.184.216.34' };
  const lookup: TargetLookup = (hostname) => {
    if (hostname === 'loopback.test' || hostname === 'localhost') {
      return Promise.resolve([{ address: '127.0.0.1', family: 4 }]);
    }
    if (hostname === 'rebinding.test' || hostname === 'metadata.test') {
      const address = hostname === 'metadata.test' ? '169.254.169.254' : current.address;
      return Promise.resolve([{ address, family: address.includes(':') ? 6 : 4 }]);
    }
    return Promise.reject(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }));
  };
  return { lookup, current };
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!isWebhookError(error)) throw new Error(`expected a WebhookError, got ${String(error)}`);
  expect(error.code).toBe('INVALID_SUBSCRIPTION');
  expect(error.issues.map((issue) => issue.path)).toEqual(['targetUrl']);
  return error.message;
}

/** Saves a subscription straight into the store, past every check `WebhookSubscriptions` makes. */
async function forceSave(store: SqliteWebhookStore, id: string, targetUrl: string): Promise<void> {
  const now = new Date().toISOString();
  const subscription: Subscription = {
    id,
    eventType: 'order:placed',
    targetUrl,
    secret,
    active: true,
    retry: { schedule: 'fixed', options: { delayMs: 10, maxAttempts: 1 } },
    createdAt: now,
    updatedAt: now,
  };
  await store.subscriptions.insertSubscription(subscription);
}

describe('the webhook target policy against every spelling of an internal address', () => {
  it('refuses each spelling of loopback when the subscription is saved', async () => {
    const { running, received } = await receiver();
    await using _receiver = running;
    const store = await memoryStore();
    const subscriptions = new WebhookSubscriptions(store, { lookup: fakeDns().lookup });
    for (const targetUrl of loopbackSpellings(running.port)) {
      expect(await refusal(subscriptions.create(subscriptionTo(targetUrl))), targetUrl).toMatch(/not a public address/);
    }
    expect(await subscriptions.list()).toEqual([]);
    expect(received).toHaveLength(0);
    await store.close();
  });

  it('refuses each spelling again when connecting, for subscriptions that got past the save-time check', async () => {
    const { running, received } = await receiver();
    await using _receiver = running;
    const store = await memoryStore();
    const spellings = loopbackSpellings(running.port);
    for (const [index, targetUrl] of spellings.entries()) await forceSave(store, `forced-${index}`, targetUrl);
    const dispatcher = new WebhookDispatcher({ store, lookup: fakeDns().lookup, pollIntervalMs: 50, timeouts: 2000 });
    const statuses = await dispatcher.deliverEvent(orderPlaced());
    expect(statuses).toHaveLength(spellings.length);
    for (const status of statuses) {
      // Refused before dialling (the URL itself), or by the connector (a name resolving to loopback).
      const delivery = await settled(dispatcher, status.deliveryId, { attempts: 1 });
      expect(delivery.history[0]?.error?.message, status.subscriptionId).toMatch(/TARGET_REFUSED|not a public address/);
    }
    expect(received).toHaveLength(0);
    await dispatcher.close();
    await store.close();
  });

  it('refuses a name whose DNS answer changes to a private address after the subscription was saved', async () => {
    const { running, received } = await receiver();
    await using _receiver = running;
    const dns = fakeDns();
    const store = await memoryStore();
    const subscriptions = new WebhookSubscriptions(store, { lookup: dns.lookup });
    const saved = await subscriptions.create(subscriptionTo(`http://rebinding.test:${running.port}/hooks`));
    for (const address of ['127.0.0.1', '::ffff:127.0.0.1', '::ffff:7f00:1', '10.0.0.7']) {
      dns.current.address = address;
      await subscriptions.update(saved.id, { active: true }).then(
        () => expect.fail(`the update saved a target resolving to ${address}`),
        (error: unknown) => expect(String(error)).toMatch(/not a public address/),
      );
    }
    dns.current.address = '127.0.0.1';
    const dispatcher = new WebhookDispatcher({ store, lookup: dns.lookup, pollIntervalMs: 50, timeouts: 2000 });
    const [status] = await dispatcher.deliverEvent(orderPlaced());
    // Refused when dialling: a failed attempt, retried (the name may point elsewhere again).
    const delivery = await settled(dispatcher, status?.deliveryId, { attempts: 1 });
    expect(delivery.history[0]).toMatchObject({ outcome: 'failed', error: { code: 'UNREACHABLE' } });
    expect(delivery.history[0]?.error?.message).toMatch(/^TARGET_REFUSED: .*rebinding\.test.*127\.0\.0\.1/);
    expect(received).toHaveLength(0);
    await dispatcher.close();
    await store.close();
  });

  it('delivers to an address a CIDR allow-list admits, and to nothing outside it', async () => {
    const { running, received, url } = await receiver();
    await using _receiver = running;
    const store = await memoryStore();
    const targetPolicy = { allow: ['127.0.0.1/32'] };
    const subscriptions = new WebhookSubscriptions(store, { targetPolicy });
    await subscriptions.create(subscriptionTo(url));
    expect(await refusal(subscriptions.create(subscriptionTo(`http://127.0.0.2:${running.port}/hooks`)))).toMatch(
      /127\.0\.0\.2/,
    );
    const dispatcher = new WebhookDispatcher({ store, targetPolicy, pollIntervalMs: 50, timeouts: 2000 });
    const [status] = await dispatcher.deliverEvent(orderPlaced());
    await settled(dispatcher, status?.deliveryId, { state: 'delivered' });
    expect(received).toHaveLength(1);
    await dispatcher.close();
    await store.close();
  });

  it('keeps cloud metadata and link-local refused under allowPrivateNetworks and the widest allow-list', async () => {
    const metadata = [
      'http://169.254.169.254/latest/meta-data/',
      'http://[::ffff:169.254.169.254]/',
      'http://[::ffff:a9fe:a9fe]/',
      'http://2852039166/',
      'http://0xa9.0xfe.0xa9.0xfe/',
      'http://0251.0376.0251.0376/',
      'http://[fd00:ec2::254]/',
      'http://100.100.100.200/',
      'http://169.254.170.2/v2/credentials',
    ];
    for (const policy of [{ allowPrivateNetworks: true }, { allow: ['0.0.0.0/0', '::/0'] }]) {
      for (const target of metadata) {
        expect(() => checkTargetUrl(target, policy), target).toThrow(/cloud metadata/);
      }
    }
    for (const target of ['http://169.254.1.1/', 'http://[fe80::1]/']) {
      expect(() => checkTargetUrl(target, { allowPrivateNetworks: true }), target).toThrow(/not a public address/);
    }
    for (const target of ['http://127.0.0.1/', 'http://10.1.2.3/', 'http://192.168.0.1/', 'http://[fd12::1]/']) {
      expect(checkTargetUrl(target, { allowPrivateNetworks: true }).href).toBe(target);
    }

    // A name that resolves to the metadata address is refused when connecting, too.
    const store = await memoryStore();
    await forceSave(store, 'metadata', 'http://metadata.test/latest/meta-data/');
    const dispatcher = new WebhookDispatcher({
      store,
      targetPolicy: { allowPrivateNetworks: true },
      lookup: fakeDns().lookup,
      pollIntervalMs: 50,
      timeouts: 2000,
    });
    const [status] = await dispatcher.deliverEvent(orderPlaced());
    const delivery = await settled(dispatcher, status?.deliveryId, { attempts: 1 });
    expect(delivery.history[0]?.error?.message).toMatch(/^TARGET_REFUSED: .*169\.254\.169\.254.*cloud metadata/);
    await dispatcher.close();
    await store.close();
  });

  it('refuses an allow-list entry that is not a CIDR range, naming it', async () => {
    const store = await memoryStore();
    const targetPolicy = { allow: ['10.0.0.0/33'] };
    expect(() => new WebhookSubscriptions(store, { targetPolicy })).toThrow(/allow.*10\.0\.0\.0\/33/);
    expect(() => new WebhookDispatcher({ store, targetPolicy })).toThrow(/allow.*10\.0\.0\.0\/33/);
    await store.close();
  });
});
