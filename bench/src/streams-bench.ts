/**
 * JetStream against Redis Streams, in one run, on one nats-server and one redis-server started here:
 *
 * - publish: `JetStreamSink.publish` against `RedisStreamSink.publish` of the same event, 50
 *   publishes in flight, each awaiting the server's acknowledgement (the PubAck; the XADD reply);
 * - consume: `consume()` of @events-protocol/server/streams from a `JetStreamSource` and from a
 *   `RedisStreamSource`, a stream filled beforehand, 50 handlers at once validating the payload
 *   and pricing the order (the HTTP scenarios' handler), each message acknowledged (JetStream's
 *   ack confirmed by the server, Redis's XACK answered) before it counts.
 *
 * Durability, side by side: JetStream file storage; nats-server 2.9 has no `sync_interval`
 * (2.10+), its file store fsyncs on its own schedule (every 2 minutes), so Redis runs with
 * `appendonly yes` and `appendfsync everysec`: both acknowledge a write once it is in the page
 * cache, neither fsyncs each one. Rounds of the four scenarios are interleaved.
 *
 *   node --import tsx --conditions=@events-protocol/source bench/src/streams-bench.ts [--quick] [--json=<file>]
 */
import { writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { createPublishedEvent, type PublishedEvent, type Sink } from '@events-protocol/publish';
import { EventRegistry } from '@events-protocol/server';
import { consume } from '@events-protocol/server/streams';
import { Redis } from 'ioredis';
import { natsServerVersion, startNatsServer } from '../../test/support/nats-server.js';
import { startRedisServer } from '../../test/support/redis-server.js';
import { price, priceOrder, requestPayload } from './fixture.js';
import { median, quantile, type GroupRun, type ScenarioResult } from './measure.js';
import { openJetStream, openRedisStreams, type StreamBroker } from './streams-brokers.js';

const quick = process.argv.includes('--quick');
const jsonFile = process.argv.find((argument) => argument.startsWith('--json='))?.slice('--json='.length);
const concurrency = 50;
const plan = quick
  ? { rounds: 1, publishSeconds: 1, consumeCount: 2_000, warmupCount: 500 }
  : { rounds: 5, publishSeconds: 3, consumeCount: 10_000, warmupCount: 2_000 };

/** The published event: the HTTP scenarios' order, a fresh id each, about 430 bytes of JSON. */
function streamEvent(): PublishedEvent {
  return createPublishedEvent({
    name: priceOrder.name,
    version: priceOrder.version,
    payload: requestPayload,
    metadata: { origin: 'bench-client', locale: 'de-DE', tenant: 'acme' },
  });
}

interface Round {
  rate: number;
  p50: number;
  p99: number;
  errors: number;
}

/** `concurrency` publishers, each publishing and awaiting the acknowledgement, for `seconds`. */
async function publishRound(sink: Sink, seconds: number): Promise<Round> {
  const latencies = new Float64Array(2_000_000);
  let count = 0;
  let errors = 0;
  const started = performance.now();
  const end = started + seconds * 1000;
  async function publisher(): Promise<void> {
    while (performance.now() < end) {
      const before = performance.now();
      try {
        await sink.publish(streamEvent());
      } catch {
        errors++;
      }
      if (count < latencies.length) latencies[count] = performance.now() - before;
      count++;
    }
  }
  await Promise.all(Array.from({ length: concurrency }, publisher));
  const recorded = Math.min(count, latencies.length);
  return {
    rate: count / ((performance.now() - started) / 1000),
    p50: quantile(latencies, recorded, 0.5),
    p99: quantile(latencies, recorded, 0.99),
    errors,
  };
}

const registry = new EventRegistry().on(priceOrder, (event) => price(event.payload));

/** Fills a fresh stream with `count` events, then times `consume` until it acknowledged them all. */
async function consumeRound(broker: StreamBroker, name: string, count: number): Promise<Round> {
  const stream = await broker.openStream(name);
  try {
    for (let filled = 0; filled < count; filled += 500) {
      const batch = Array.from({ length: Math.min(500, count - filled) }, () => ({ event: streamEvent() }));
      const outcomes = (await stream.sink.publishBatch?.(batch)) ?? [];
      if (outcomes.some((outcome) => outcome.status === 'rejected')) throw new Error(`${broker.name}: filling failed`);
    }
    const started = performance.now();
    const consumer = consume(registry, stream.source(), { concurrency, batchSize: 100 });
    const deadline = started + 300_000;
    while (consumer.stats.acknowledged < count) {
      if (performance.now() > deadline)
        throw new Error(`${broker.name}: ${JSON.stringify(consumer.stats)} after 300 s`);
      await sleep(1);
    }
    const elapsed = (performance.now() - started) / 1000;
    const stats = await consumer.close();
    return { rate: count / elapsed, p50: 0, p99: 0, errors: stats.retried + stats.deadLettered + stats.unsettled };
  } finally {
    await stream.close();
  }
}

function row(key: string, label: string, rounds: readonly Round[], latency: boolean): ScenarioResult {
  return {
    key,
    label,
    group: 'streams',
    throughput: median(rounds.map((round) => round.rate)),
    ...(latency
      ? { p50Ms: median(rounds.map((round) => round.p50)), p99Ms: median(rounds.map((round) => round.p99)) }
      : {}),
    errors: rounds.reduce((sum, round) => sum + round.errors, 0),
    rounds: rounds.map((round) => Math.round(round.rate)),
  };
}

const nats = await startNatsServer();
const redis = await startRedisServer({ durable: true });
const admin = new Redis(redis.url);
await admin.config('SET', 'appendfsync', 'everysec');
const appendfsync = ((await admin.config('GET', 'appendfsync')) as string[])[1];
const redisVersion = /redis_version:(\S+)/.exec(await admin.info('server'))?.[1] ?? '?';
const brokers = [await openJetStream(nats.url), openRedisStreams(redis.url)];
const published = new Map(brokers.map((broker) => [broker.key, [] as Round[]]));
const consumed = new Map(brokers.map((broker) => [broker.key, [] as Round[]]));
try {
  const publishStreams = await Promise.all(brokers.map((broker) => broker.openStream('bench-publish')));
  for (const [index, broker] of brokers.entries()) {
    await publishRound(publishStreams[index]!.sink, 1);
    await consumeRound(broker, 'bench-warmup', plan.warmupCount);
  }
  for (let round = 0; round < plan.rounds; round++) {
    for (const [index, broker] of brokers.entries()) {
      const result = await publishRound(publishStreams[index]!.sink, plan.publishSeconds);
      published.get(broker.key)?.push(result);
      process.stdout.write(`streams ${broker.name} publish: ${Math.round(result.rate)} events/s\n`);
    }
    for (const broker of brokers) {
      const result = await consumeRound(broker, `bench-consume-${round}`, plan.consumeCount);
      consumed.get(broker.key)?.push(result);
      process.stdout.write(`streams ${broker.name} consume: ${Math.round(result.rate)} events/s\n`);
    }
  }
  await Promise.all(publishStreams.map((stream) => stream.close()));
} finally {
  await Promise.allSettled(brokers.map((broker) => broker.close()));
  await admin.quit();
  await Promise.allSettled([nats.stop(), redis.stop()]);
}

const eventBytes = Buffer.byteLength(JSON.stringify(streamEvent()));
const run: GroupRun = {
  results: [
    row('jetstream-publish', 'JetStreamSink.publish, PubAck awaited', published.get('jetstream') ?? [], true),
    row('redis-stream-publish', 'RedisStreamSink.publish, XADD awaited', published.get('redis-stream') ?? [], true),
    row('jetstream-consume', 'consume() from JetStreamSource, ack confirmed', consumed.get('jetstream') ?? [], false),
    row('redis-stream-consume', 'consume() from RedisStreamSource, XACK', consumed.get('redis-stream') ?? [], false),
  ],
  setup:
    `nats-server ${natsServerVersion()}, JetStream file storage, 1 replica, no \`sync_interval\` (2.9 has none: its file store fsyncs every 2 minutes); ` +
    `redis-server ${redisVersion}, \`appendonly yes\`, \`appendfsync ${appendfsync ?? '?'}\`; ` +
    `a ${eventBytes}-byte event, ${concurrency} publishes or handlers in flight, ${plan.rounds} round(s): publish ${plan.publishSeconds} s, consume ${plan.consumeCount.toLocaleString('en-US')} events filled beforehand`,
};
if (jsonFile !== undefined) await writeFile(jsonFile, JSON.stringify(run));
