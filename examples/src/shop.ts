/**
 * The demo's second part: two services calling each other, an outbox relay and a webhook
 * subscriber, all on free ports in this process, their stores in a temporary directory.
 */
import { EventClient, type SendResult } from '@events-protocol/client';
import { Outbox } from '@events-protocol/outbox';
import { SqliteOutboxStore } from '@events-protocol/outbox/sqlite';
import { WebhookDispatcher, WebhookSink, WebhookSubscriptions } from '@events-protocol/webhooks';
import { SqliteWebhookStore } from '@events-protocol/webhooks/sqlite';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ordersApp, placeOrder } from './orders-service.js';
import { webhookSubscriber, type ReceivedWebhook } from './webhook-subscriber.js';

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

function show(title: string, result: SendResult): void {
  const summary = result.kind === 'error' ? `error (${result.errorType})` : result.kind;
  process.stdout.write(`\n▶ ${title}\n  outcome: ${summary}\n`);
  if (result.kind === 'success' || result.kind === 'error') process.stdout.write(`  ${JSON.stringify(result.event)}\n`);
}

/** Runs the shop against the catalog service at `catalogUrl`. */
export async function runShop(catalogUrl: string): Promise<void> {
  process.stdout.write('\n— a shop: orders service → catalog service, outbox → signed webhook —\n');
  const directory = await mkdtemp(join(tmpdir(), 'events-demo-'));
  const secret = `whsec_${Buffer.from('a demo secret of 32 random bytes').toString('base64')}`;

  // The customer's endpoint, subscribed to order:placed.
  const received: ReceivedWebhook[] = [];
  let arrived: () => void = () => undefined;
  const firstWebhook = new Promise<void>((resolve) => (arrived = resolve));
  const subscriber = webhookSubscriber(secret, (webhook) => {
    received.push(webhook);
    arrived();
  });
  const subscriberUrl = `${await listen(subscriber)}/hooks/orders`;

  // Webhooks: subscriptions and the dispatcher share one SQLite file. The demo's subscriber is on
  // 127.0.0.1, which the default target policy refuses (internal addresses): allowed here.
  const webhookStore = new SqliteWebhookStore({ filename: join(directory, 'webhooks.db') });
  await webhookStore.setup();
  const targetPolicy = { allowPrivateNetworks: true };
  await new WebhookSubscriptions(webhookStore, { targetPolicy }).create({
    eventType: 'order:placed',
    targetUrl: subscriberUrl,
    secret,
    retry: { schedule: 'exponential', options: { baseMs: 500, capMs: 30_000, maxAttempts: 6 } },
  });
  const dispatcher = new WebhookDispatcher({ store: webhookStore, targetPolicy, timeouts: 5000 });

  // The outbox, and its relay handing events to the webhooks.
  const outbox = new Outbox({ store: new SqliteOutboxStore({ filename: join(directory, 'outbox.db') }) });
  const relay = outbox.relay({ sink: new WebhookSink(dispatcher), pollIntervalMs: 50 });
  relay.start();

  // The orders service, calling the catalog service.
  const catalog = new EventClient({ url: catalogUrl, origin: 'orders-service', timeout: 5000 });
  const orders = ordersApp({ catalog, outbox }).listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => orders.once('listening', resolve));
  const ordersUrl = `http://127.0.0.1:${(orders.address() as AddressInfo).port}/events`;
  process.stdout.write(`orders service listening on ${ordersUrl}\nwebhook subscriber listening on ${subscriberUrl}\n`);

  const client = new EventClient({ url: ordersUrl, origin: 'demo', timeout: 10_000 });
  const placed = await client.send(placeOrder, { sku: 'BOOK-1', quantity: 1 });
  show('order:place BOOK-1 (orders calls catalog: product:get, stock:reserve; then the outbox)', placed);
  show(
    "order:place PEN-7: the catalog's typed error comes back through the orders service",
    await client.send(placeOrder, { sku: 'PEN-7', quantity: 1 }),
  );

  const timeout = setTimeout(() => arrived(), 10_000);
  await firstWebhook;
  clearTimeout(timeout);
  const [webhook] = received;
  if (webhook === undefined) {
    process.stdout.write('\n▶ no webhook arrived within 10 s\n');
    process.exitCode = 1;
  } else {
    const sameFlow = placed.kind === 'success' && webhook.event.flowId === placed.event.flowId;
    process.stdout.write(
      `\n▶ the subscriber received ${webhook.event.name}, signature verified\n` +
        `  webhook-id ${webhook.id}, same flowId as the order call: ${sameFlow ? 'yes' : 'no'}\n` +
        `  ${JSON.stringify(webhook.event.payload)}\n`,
    );
  }

  await client.close();
  await close(orders);
  await catalog.close();
  await relay.stop();
  await dispatcher.close();
  await outbox.store.close();
  await webhookStore.close();
  await close(subscriber);
  await rm(directory, { recursive: true, force: true });
}
