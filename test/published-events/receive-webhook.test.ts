import { generateWebhookSecret } from '@events-protocol/webhooks';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { settled, subscriptionTo, webhooks } from '../webhooks/harness.js';
import { frameworks, orderPlaced } from './receivers.js';

// Deliveries come from our real dispatcher over a socket, and from the official standardwebhooks
// library's signatures; the receiver runs in Express, Fastify and a fetch handler.

async function post(url: string, body: string, headers: Record<string, string>): Promise<{ status: number }> {
  const response = await fetch(url, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', ...headers },
  });
  await response.arrayBuffer();
  return { status: response.status };
}

function signed(secret: string, id: string, body: string, at = new Date()): Record<string, string> {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(id, at, body),
  };
}

const wire = (name: string, version: number, payload: unknown, id = 'evt-1'): string =>
  JSON.stringify({
    name,
    version,
    id,
    flowId: 'flow-1',
    payload,
    identity: {},
    auth: {},
    metadata: {},
    createdAt: new Date().toISOString(),
  });

describe.each(Object.entries(frameworks))('receiveWebhook in %s', (_framework, start) => {
  it('takes a real delivery of the dispatcher as the typed event', async () => {
    const secret = generateWebhookSecret();
    await using receiver = await start(secret);
    await using hooks = await webhooks();
    await hooks.subscriptions.create(subscriptionTo(receiver.url, { secret }));
    const [status] = await hooks.dispatcher.deliverEvent(
      orderPlaced,
      { orderId: 'o-7', cents: 1250 },
      {
        fields: { metadata: { origin: 'shop' } },
      },
    );
    const delivery = await settled(hooks.dispatcher, status?.deliveryId);
    expect(delivery).toMatchObject({ state: 'delivered', history: [{ status: 204 }] });
    expect(receiver.log.events).toHaveLength(1);
    const [event] = receiver.log.events;
    expect(event).toMatchObject({ name: 'order:placed', version: 1, payload: { orderId: 'o-7', cents: 1250 } });
    expect(event?.metadata).toEqual({ origin: 'shop' });
    if (event?.name === 'order:placed') expect(event.payload.cents).toBe(1250);
  });

  it('takes what the standardwebhooks library signed, for each contract', async () => {
    const secret = generateWebhookSecret();
    await using receiver = await start(secret);
    const placed = wire('order:placed', 1, { orderId: 'o-1', cents: 5 }, 'a');
    const cancelled = wire('order:cancelled', 2, { orderId: 'o-1', reason: 'late' }, 'b');
    expect(await post(receiver.url, placed, signed(secret, 'a', placed))).toEqual({ status: 204 });
    expect(await post(receiver.url, cancelled, signed(secret, 'b', cancelled))).toEqual({ status: 204 });
    expect(receiver.log.events.map((event) => [event.name, event.version, event.id])).toEqual([
      ['order:placed', 1, 'a'],
      ['order:cancelled', 2, 'b'],
    ]);
    expect(receiver.log.refusals).toEqual([]);
  });

  it('refuses a bad signature, a stale timestamp, an unknown event and an invalid payload, each with its status', async () => {
    const secret = generateWebhookSecret();
    await using receiver = await start(secret);
    const good = wire('order:placed', 1, { orderId: 'o-1', cents: 5 });
    expect(await post(receiver.url, `${good} `, signed(secret, 'evt-1', good))).toEqual({ status: 401 });
    expect(await post(receiver.url, good, signed(generateWebhookSecret(), 'evt-1', good))).toEqual({ status: 401 });
    const stale = new Date(Date.now() - 10 * 60_000);
    expect(await post(receiver.url, good, signed(secret, 'evt-1', good, stale))).toEqual({ status: 401 });
    expect(await post(receiver.url, good, {})).toEqual({ status: 401 });
    const unknownVersion = wire('order:placed', 3, { orderId: 'o-1', cents: 5 });
    expect(await post(receiver.url, unknownVersion, signed(secret, 'evt-1', unknownVersion))).toEqual({ status: 422 });
    const invalid = wire('order:placed', 1, { orderId: 'o-1', cents: -5 });
    expect(await post(receiver.url, invalid, signed(secret, 'evt-1', invalid))).toEqual({ status: 400 });
    // 2^53 + 1 is read as a bigint (never rounded), so the number schema refuses it.
    const big =
      '{"name":"order:placed","version":1,"id":"x","flowId":"y","payload":{"orderId":"o","cents":9007199254740993}}';
    expect(await post(receiver.url, big, signed(secret, 'x', big))).toEqual({ status: 400 });
    const notJson = '{"name": ';
    expect(await post(receiver.url, notJson, signed(secret, 'evt-1', notJson))).toEqual({ status: 400 });
    expect(receiver.log.events).toEqual([]);
    expect(receiver.log.refusals.map((refusal) => refusal.reason)).toEqual([
      'invalid-signature',
      'invalid-signature',
      'timestamp-out-of-range',
      'missing-headers',
      'unknown-event',
      'invalid-payload',
      'invalid-payload',
      'invalid-body',
    ]);
    expect(receiver.log.refusals[5]?.issues).toEqual([expect.objectContaining({ path: ['cents'] })]);
  });
});
