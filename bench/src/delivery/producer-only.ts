/**
 * The webhook producer alone, no relay running: how fast bursts are stored as signed-webhook
 * deliveries on Redis and PostgreSQL (fsync on), handed over as `deliverEvents` batches, as one
 * `deliverEvent` per event, and as that with the subscription cache off (the producer before
 * batching). Rounds interleave the three so that drift hits all alike.
 *
 *   node --import tsx --conditions=@events-protocol/source bench/src/delivery/producer-only.ts [--quick]
 */
import type { WebhookStore } from '@events-protocol/webhooks';
import { WebhookDispatcher, WebhookSubscriptions } from '@events-protocol/webhooks';
import { PostgresWebhookStore } from '@events-protocol/webhooks/postgres';
import { RedisWebhookStore } from '@events-protocol/webhooks/redis';
import { startPostgresServer } from '../../../test/support/postgres-server.js';
import { startRedisServer } from '../../../test/support/redis-server.js';
import { median } from '../measure.js';
import { benchEvent } from './delivery-system.js';

const quick = process.argv.includes('--quick');
const rounds = quick ? 1 : 3;
const events = quick ? 1000 : 5000;
const chunk = 100;
const modes = ['batch', 'each', 'uncached'] as const;
type Mode = (typeof modes)[number];

/** Deliveries stored per second for one burst of `events`, handed over `chunk` at a time. */
async function producerRate(store: WebhookStore, mode: Mode): Promise<number> {
  await store.setup();
  await new WebhookSubscriptions(store, { targetPolicy: { allowPrivateNetworks: true } }).create({
    eventType: 'order:priced',
    targetUrl: 'http://127.0.0.1:9/hooks',
  });
  const producer = new WebhookDispatcher({
    store,
    targetPolicy: { allowPrivateNetworks: true },
    startWorker: false,
    ...(mode === 'uncached' ? { subscriptionCacheMs: 0 } : {}),
  });
  try {
    await producer.deliverEvents(Array.from({ length: 50 }, benchEvent));
    const started = performance.now();
    for (let sent = 0; sent < events; sent += chunk) {
      const burst = Array.from({ length: chunk }, benchEvent);
      if (mode === 'batch') await producer.deliverEvents(burst);
      else await Promise.all(burst.map((event) => producer.deliverEvent(event)));
    }
    return events / ((performance.now() - started) / 1000);
  } finally {
    await producer.close();
    await store.close();
  }
}

const redis = await startRedisServer();
const postgres = await startPostgresServer({ durable: true });
const rates = new Map<string, number[]>();
try {
  for (let round = 0; round < rounds; round++) {
    for (const mode of modes) {
      const name = `producer_${mode}_${round}`;
      const stores: [string, WebhookStore][] = [
        ['Redis', new RedisWebhookStore(redis.url, { prefix: name })],
        [
          'PostgreSQL',
          new PostgresWebhookStore(postgres.url, {
            subscriptionsTable: `${name}_subscriptions`,
            deliveriesTable: `${name}_deliveries`,
          }),
        ],
      ];
      for (const [label, store] of stores) {
        const rate = await producerRate(store, mode);
        const key = `${label} ${mode}`;
        rates.set(key, [...(rates.get(key) ?? []), rate]);
        process.stdout.write(`producer ${key}: ${Math.round(rate)} deliveries stored/s\n`);
      }
    }
  }
} finally {
  await Promise.allSettled([redis.stop(), postgres.stop()]);
}
for (const [key, each] of rates) {
  process.stdout.write(`median ${key}: ${Math.round(median(each))}/s (${each.map(Math.round).join(', ')})\n`);
}
