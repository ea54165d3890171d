import { join } from 'node:path';
import { Outbox, type OutboxStore } from '@events-protocol/outbox';
import { PostgresOutboxStore } from '@events-protocol/outbox/postgres';
import { RedisOutboxStore } from '@events-protocol/outbox/redis';
import { SqliteOutboxStore } from '@events-protocol/outbox/sqlite';
import { HttpSink } from '@events-protocol/publish';
import { WebhookDispatcher, WebhookSubscriptions, type WebhookStore } from '@events-protocol/webhooks';
import { PostgresWebhookStore } from '@events-protocol/webhooks/postgres';
import { RedisWebhookStore } from '@events-protocol/webhooks/redis';
import type { DeliveryScenario, DeliveryServices, DeliverySystem } from './delivery-system.js';
import type { Receiver } from './receiver.js';

/** The relay settings every one of our systems runs with: the same concurrency as the baselines. */
function relaySettings(services: DeliveryServices): { batchSize: number; concurrency: number; pollIntervalMs: number } {
  return { batchSize: 100, concurrency: services.concurrency, pollIntervalMs: 1000 };
}

/** An outbox relay over `store`, POSTing each event's JSON to the receiver through an HttpSink. */
async function relaySystem(
  store: OutboxStore,
  receiver: Receiver,
  services: DeliveryServices,
): Promise<DeliverySystem> {
  await store.setup();
  const outbox = new Outbox({ store });
  const sink = new HttpSink({ url: receiver.url });
  const relay = outbox.relay({ sink, ...relaySettings(services) });
  return {
    enqueue: async (events) => {
      await (events.length === 1 ? outbox.enqueue(events[0]!) : outbox.enqueueMany(events));
    },
    start: () => Promise.resolve(relay.start()),
    close: async () => {
      await relay.stop();
      await sink.close();
      await store.close();
    },
  };
}

export const redisRelayScenario: DeliveryScenario = {
  key: 'redis-relay',
  label: 'events-protocol outbox relay on Redis',
  open: (receiver, services, name) =>
    relaySystem(new RedisOutboxStore({ redis: services.redisUrl, prefix: name }), receiver, services),
};

export const postgresRelayScenario: DeliveryScenario = {
  key: 'postgres-relay',
  label: 'events-protocol outbox relay on PostgreSQL',
  open: (receiver, services, name) =>
    relaySystem(new PostgresOutboxStore({ pool: services.postgresUrl, table: name }), receiver, services),
};

export const sqliteRelayScenario: DeliveryScenario = {
  key: 'sqlite-relay',
  label: 'events-protocol outbox relay on SQLite (synchronous full)',
  open: (receiver, services, name) =>
    relaySystem(new SqliteOutboxStore({ filename: join(services.directory, `${name}.db`) }), receiver, services),
};

/** Webhooks: one subscription to the receiver, every event signed (Standard Webhooks) and recorded. */
async function webhookSystem(
  store: WebhookStore,
  receiver: Receiver,
  services: DeliveryServices,
): Promise<DeliverySystem> {
  await store.setup();
  await new WebhookSubscriptions(store, { targetPolicy: { allowPrivateNetworks: true } }).create({
    eventType: 'order:priced',
    targetUrl: receiver.url,
  });
  let dispatcher: WebhookDispatcher | undefined;
  const producer = new WebhookDispatcher({ store, targetPolicy: { allowPrivateNetworks: true }, startWorker: false });
  return {
    enqueue: async (events) => {
      await Promise.all(events.map((event) => producer.deliverEvent(event)));
    },
    start: () => {
      dispatcher = new WebhookDispatcher({
        store,
        targetPolicy: { allowPrivateNetworks: true },
        concurrency: services.concurrency,
        pollIntervalMs: 1000,
      });
      return Promise.resolve();
    },
    close: async () => {
      await dispatcher?.close();
      await producer.close();
      await store.close();
    },
  };
}

export const redisWebhooksScenario: DeliveryScenario = {
  key: 'webhooks-redis',
  label: 'events-protocol signed webhooks on Redis',
  open: (receiver, services, name) =>
    webhookSystem(new RedisWebhookStore(services.redisUrl, { prefix: name }), receiver, services),
};

export const postgresWebhooksScenario: DeliveryScenario = {
  key: 'webhooks-postgres',
  label: 'events-protocol signed webhooks on PostgreSQL',
  open: (receiver, services, name) =>
    webhookSystem(
      new PostgresWebhookStore(services.postgresUrl, {
        subscriptionsTable: `${name}_subscriptions`,
        deliveriesTable: `${name}_deliveries`,
      }),
      receiver,
      services,
    ),
};
