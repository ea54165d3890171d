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
  store: 'postgres',
  open: (receiver, services, name) =>
    relaySystem(new PostgresOutboxStore({ pool: services.postgresUrl, table: name }), receiver, services),
};

export const sqliteRelayScenario: DeliveryScenario = {
  key: 'sqlite-relay',
  label: 'events-protocol outbox relay on SQLite (synchronous full)',
  open: (receiver, services, name) =>
    relaySystem(new SqliteOutboxStore({ filename: join(services.directory, `${name}.db`) }), receiver, services),
};

/**
 * How the webhook producer hands a chunk of events over: `batch`, one `deliverEvents` call (what
 * an application with a burst does); `each`, one `deliverEvent` per event, all at once (what one
 * handling requests one by one does); `before`, the system as it was before batching: `each` with the
 * subscription cache off (a lookup and a transaction per event), and a worker claiming only as
 * many as it has in flight.
 */
type WebhookProducer = 'batch' | 'each' | 'before';

/** Webhooks: one subscription to the receiver, every event signed (Standard Webhooks) and recorded. */
async function webhookSystem(
  store: WebhookStore,
  receiver: Receiver,
  services: DeliveryServices,
  producerMode: WebhookProducer,
): Promise<DeliverySystem> {
  await store.setup();
  await new WebhookSubscriptions(store, { targetPolicy: { allowPrivateNetworks: true } }).create({
    eventType: 'order:priced',
    targetUrl: receiver.url,
  });
  let dispatcher: WebhookDispatcher | undefined;
  const producer = new WebhookDispatcher({
    store,
    targetPolicy: { allowPrivateNetworks: true },
    startWorker: false,
    ...(producerMode === 'before' ? { subscriptionCacheMs: 0 } : {}),
  });
  return {
    enqueue: async (events) => {
      if (producerMode === 'batch') await producer.deliverEvents(events);
      else await Promise.all(events.map((event) => producer.deliverEvent(event)));
    },
    start: () => {
      // The relay rows' settings: claim 100 at a time, `concurrency` in flight.
      dispatcher = new WebhookDispatcher({
        store,
        targetPolicy: { allowPrivateNetworks: true },
        ...relaySettings(services),
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

const redisWebhookStore = (services: DeliveryServices, name: string) =>
  new RedisWebhookStore(services.redisUrl, { prefix: name });
const postgresWebhookStore = (services: DeliveryServices, name: string) =>
  new PostgresWebhookStore(services.postgresUrl, {
    subscriptionsTable: `${name}_subscriptions`,
    deliveriesTable: `${name}_deliveries`,
  });

export const redisWebhooksScenario: DeliveryScenario = {
  key: 'webhooks-redis',
  label: 'events-protocol signed webhooks on Redis (deliverEvents)',
  open: (receiver, services, name) => webhookSystem(redisWebhookStore(services, name), receiver, services, 'batch'),
};

export const redisWebhooksEachScenario: DeliveryScenario = {
  key: 'webhooks-redis-each',
  label: 'events-protocol signed webhooks on Redis (deliverEvent per event)',
  open: (receiver, services, name) => webhookSystem(redisWebhookStore(services, name), receiver, services, 'each'),
};

export const postgresWebhooksScenario: DeliveryScenario = {
  key: 'webhooks-postgres',
  label: 'events-protocol signed webhooks on PostgreSQL (deliverEvents)',
  store: 'postgres',
  open: (receiver, services, name) => webhookSystem(postgresWebhookStore(services, name), receiver, services, 'batch'),
};

export const postgresWebhooksEachScenario: DeliveryScenario = {
  key: 'webhooks-postgres-each',
  label: 'events-protocol signed webhooks on PostgreSQL (deliverEvent per event)',
  store: 'postgres',
  open: (receiver, services, name) => webhookSystem(postgresWebhookStore(services, name), receiver, services, 'each'),
};

/** The webhook system as it was before batching, for a before/after run: `--only=webhooks-redis-before,webhooks-redis`. */
export const webhooksBeforeScenarios: DeliveryScenario[] = [
  {
    key: 'webhooks-redis-before',
    label: 'events-protocol signed webhooks on Redis (as before batching)',
    open: (receiver, services, name) => webhookSystem(redisWebhookStore(services, name), receiver, services, 'before'),
  },
  {
    key: 'webhooks-postgres-before',
    label: 'events-protocol signed webhooks on PostgreSQL (as before batching)',
    store: 'postgres',
    open: (receiver, services, name) =>
      webhookSystem(postgresWebhookStore(services, name), receiver, services, 'before'),
  },
];
