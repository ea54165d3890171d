import { createPublishedEvent, isPublishError } from '@events-protocol/publish';
import { RedisStreamSink } from '@events-protocol/publish/redis';
import { readJson } from '@events-protocol/core';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';

describe('RedisStreamSink against a real redis-server', () => {
  let server: RedisServer;
  let redis: Redis;

  beforeAll(async () => {
    server = await startRedisServer();
    redis = new Redis(server.url);
    redis.on('error', () => undefined); // the test kills the server on purpose
  });
  afterAll(async () => {
    redis.disconnect();
    await server.stop();
  });

  it('appends each event to its topic stream in the documented layout', async () => {
    const sink = new RedisStreamSink({ redis });
    const event = createPublishedEvent({ name: 'order:placed', payload: { orderId: 'o-1', cents: 2n ** 63n } });
    await sink.publish(event, { topic: 'orders', attributes: { region: 'eu' } });
    await sink.publish(createPublishedEvent({ name: 'ping', payload: null }));
    const [[, fields] = ['', []]] = await redis.xrange('events:orders', '-', '+');
    const entry: Record<string, string> = Object.fromEntries(
      Array.from({ length: fields.length / 2 }, (_, index) => [fields[2 * index] ?? '', fields[2 * index + 1] ?? '']),
    );
    expect(entry).toMatchObject({
      id: event.id,
      name: 'order:placed',
      version: '1',
      flowId: event.flowId,
      createdAt: event.createdAt,
      'attr:region': 'eu',
    });
    expect(readJson(entry['event'] ?? '')).toEqual(event);
    expect(await redis.xlen('events')).toBe(1);
    expect(await sink.healthCheck()).toBe(true);
  });

  it('writes to one stream when configured so, and trims it with MAXLEN ~', async () => {
    const sink = new RedisStreamSink({ redis, stream: () => 'all-events', maxLength: 100 });
    await Promise.all(
      Array.from({ length: 1000 }, (_, index) =>
        sink.publish(createPublishedEvent({ name: 'tick', payload: index }), { topic: `t${index % 3}` }),
      ),
    );
    const length = await redis.xlen('all-events');
    expect(length).toBeGreaterThanOrEqual(100);
    expect(length).toBeLessThan(1000);
  });

  it('publishes a batch in one pipeline, with one outcome per event', async () => {
    const sink = new RedisStreamSink({ redis });
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    const batch = [
      { event: createPublishedEvent({ name: 'a', payload: 1 }), options: { topic: 'batch' } },
      { event: createPublishedEvent({ name: 'b', payload: cyclic }), options: { topic: 'batch' } },
      { event: createPublishedEvent({ name: 'c', payload: 3 }), options: { topic: 'batch', attributes: { k: 'v' } } },
    ];
    const outcomes = await sink.publishBatch(batch);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(isPublishError((outcomes[1] as PromiseRejectedResult).reason)).toBe(true);
    const entries = await redis.xrange('events:batch', '-', '+');
    expect(entries.map(([, fields]) => fields[3])).toEqual(['a', 'c']);
    expect(await sink.publishBatch([])).toEqual([]);
  });

  it('rejects with a typed error while Redis is down, and recovers when it is back', async () => {
    const sink = new RedisStreamSink({ redis: server.url, timeoutMs: 300, redisOptions: { maxRetriesPerRequest: 0 } });
    await sink.publish(createPublishedEvent({ name: 'before', payload: null }));
    await server.kill();
    const error: unknown = await sink
      .publish(createPublishedEvent({ name: 'during', payload: null }))
      .catch((caught: unknown) => caught);
    expect(isPublishError(error) && ['UNREACHABLE', 'TIMEOUT'].includes(error.code)).toBe(true);
    expect(await sink.healthCheck()).toBe(false);
    await server.restart();
    for (let attempt = 0; attempt < 50 && !(await sink.healthCheck()); attempt++)
      await new Promise((resolve) => setTimeout(resolve, 100));
    await sink.publish(createPublishedEvent({ name: 'after', payload: null }));
    await sink.close();
  });
});
