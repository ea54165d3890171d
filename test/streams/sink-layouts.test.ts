import type { PublishedEvent, Sink } from '@events-protocol/publish';
import { RedisStreamSink } from '@events-protocol/publish/redis';
import { JetStreamSink } from '@events-protocol/nats';
import { EventRegistry } from '@events-protocol/server';
import { consume } from '@events-protocol/server/streams';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/nats-core';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { startNatsServer, type NatsServer } from '../support/nats-server.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { startJetStream } from './jetstream-harness.js';
import { startRedisStream } from './redis-stream-harness.js';
import { publishedEvent, waitFor, type StreamUnderTest } from './stream-harness.js';

/** Publishes one event through `sink`, consumes the stream, and returns what the handler saw. */
async function roundTrip(stream: StreamUnderTest, sink: Sink, event: PublishedEvent): Promise<unknown[]> {
  const seen: unknown[] = [];
  const registry = new EventRegistry().register({
    name: 'layout:check',
    handler: (received) => {
      seen.push({ id: received.id, flowId: received.flowId, payload: received.payload });
      return {};
    },
  });
  await sink.publish(event, { topic: 'orders' });
  const consumer = consume(registry, stream.source());
  await waitFor('the event handled and acknowledged', async () => (await stream.unsettled()) === 0);
  await consumer.close();
  return seen;
}

const expected = (event: PublishedEvent): unknown[] => [{ id: event.id, flowId: event.flowId, payload: event.payload }];

describe('consumers read what the real sinks write, in both layouts', () => {
  let redisServer: RedisServer | undefined;
  let natsServer: NatsServer | undefined;
  let connection: NatsConnection | undefined;
  afterAll(async () => {
    await connection?.drain();
    await natsServer?.stop();
    await redisServer?.stop();
  });

  for (const layout of ['event', 'cloudevent'] as const) {
    it(`RedisStreamSink, layout ${layout}`, async () => {
      redisServer ??= await startRedisServer();
      await using stream = await startRedisStream(redisServer.url);
      const redis = new Redis(redisServer.url);
      const sink = new RedisStreamSink({ redis, stream: () => stream.consumerEnv.STREAM!, layout, source: '/orders' });
      const event = publishedEvent('layout:check', { total: 65484548474984654n, items: ['a'] });
      expect(await roundTrip(stream, sink, event)).toEqual(expected(event));
      await sink.close();
      await redis.quit();
    });

    it(`JetStreamSink, layout ${layout}`, async () => {
      natsServer ??= await startNatsServer();
      connection ??= await connect({ servers: natsServer.url });
      await using stream = await startJetStream(connection, natsServer.url);
      const subject = `t${stream.consumerEnv.STREAM!.slice(1)}.orders`;
      const sink = new JetStreamSink({ connection, subject: () => subject, layout, source: '/orders' });
      const event = publishedEvent('layout:check', { total: 65484548474984654n, items: ['a'] });
      expect(await roundTrip(stream, sink, event)).toEqual(expected(event));
      await sink.close();
    });
  }
});
