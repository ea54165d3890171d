import { createPublishedEvent, isPublishError, TopicPublisher, type BatchItem } from '@events-protocol/publish';
import { RedisStreamSink } from '@events-protocol/publish/redis';
import { CloudEvent as SdkCloudEvent } from 'cloudevents';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';

let server: RedisServer;
let redis: Redis;

beforeAll(async () => {
  server = await startRedisServer();
  redis = new Redis(server.url);
});
afterAll(async () => {
  redis.disconnect();
  await server.stop();
});

/** Publishes `count` events in pipelines of 1,000, as a relay would. */
async function fill(sink: RedisStreamSink, count: number, topic: string): Promise<void> {
  for (let done = 0; done < count; done += 1000) {
    const batch: BatchItem[] = Array.from({ length: Math.min(1000, count - done) }, (_, index) => ({
      event: createPublishedEvent({ name: 'tick', payload: done + index }),
      options: { topic },
    }));
    const outcomes = await sink.publishBatch(batch);
    expect(outcomes.every((outcome) => outcome.status === 'fulfilled')).toBe(true);
  }
}

describe("RedisStreamSink, layout 'cloudevent'", () => {
  it('writes event_id, event_type, source, timestamp, cloud_event and the attributes, exactly', async () => {
    const sink = new RedisStreamSink({ redis, layout: 'cloudevent', source: '/orders-service' });
    const topics = new TopicPublisher({ orders: sink });
    const published = await topics.publish(
      'orders',
      {
        name: 'order:placed',
        version: 2,
        payload: { orderId: 'o-1', cents: 2n ** 63n },
        identity: { userId: 'u-1' },
        auth: { token: 'never-leaves' },
      },
      { region: 'eu', priority: 3 },
    );
    const [[, fields] = ['', []]] = await redis.xrange('events:orders', '-', '+');
    const cloudEventText = fields[9] ?? '';
    expect(fields).toEqual([
      'event_id',
      published.id,
      'event_type',
      'order:placed',
      'source',
      '/orders-service',
      'timestamp',
      published.createdAt,
      'cloud_event',
      cloudEventText,
      'region',
      'eu',
      'priority',
      '3',
    ]);
    expect(new Date(published.createdAt).toISOString()).toBe(published.createdAt);
    expect(cloudEventText).toContain('"cents":9223372036854775808');
    expect(cloudEventText).not.toMatch(/never-leaves|u-1/);
    const parsed = JSON.parse(cloudEventText) as Record<string, unknown>;
    // The official SDK, strict: the object as read, and what its constructor makes of it.
    expect(SdkCloudEvent.prototype.validate.call(parsed as unknown as SdkCloudEvent)).toBe(true);
    const cloudEvent = new SdkCloudEvent(parsed, true);
    expect(cloudEvent).toMatchObject({
      specversion: '1.0',
      id: published.id,
      type: 'order:placed',
      source: '/orders-service',
      subject: 'orders',
      time: published.createdAt,
      datacontenttype: 'application/json',
      flowid: published.flowId,
      eventversion: 2,
    });
    expect(cloudEvent.data).toMatchObject({ orderId: 'o-1' });
    await sink.close();
  });

  it('trims each stream with MAXLEN ~ to 10,000 entries by default', async () => {
    const sink = new RedisStreamSink({ redis, layout: 'cloudevent', source: '/ticks' });
    await fill(sink, 12_000, 'default-trim');
    const length = await redis.xlen('events:default-trim');
    expect(length).toBeGreaterThanOrEqual(10_000);
    expect(length).toBeLessThan(10_000 + 200); // `~` trims whole nodes of 100 entries
  }, 120_000);

  it('trims to maxLength when given: 25,000 written, about 1,000 kept', async () => {
    const sink = new RedisStreamSink({ redis, layout: 'cloudevent', source: '/ticks', maxLength: 1000 });
    await fill(sink, 25_000, 'small-trim');
    const length = await redis.xlen('events:small-trim');
    expect(length).toBeGreaterThanOrEqual(1000);
    expect(length).toBeLessThan(1000 + 200);
  }, 120_000);

  it('leaves the default layout as it was: its own fields, no trimming unless asked', async () => {
    const sink = new RedisStreamSink({ redis });
    await fill(sink, 12_000, 'untrimmed');
    expect(await redis.xlen('events:untrimmed')).toBe(12_000);
    const [[, fields] = ['', []]] = await redis.xrange('events:untrimmed', '-', '+', 'COUNT', 1);
    expect(fields.filter((_, index) => index % 2 === 0)).toEqual([
      'id',
      'name',
      'version',
      'flowId',
      'createdAt',
      'event',
    ]);
  }, 120_000);

  it('refuses bad options before opening a connection, and attributes that would overwrite a field', async () => {
    const clients = async (): Promise<number> =>
      Number(/connected_clients:(\d+)/.exec(await redis.info('clients'))?.[1]);
    const before = await clients();
    for (const options of [{ layout: 'cloudevent' as const }, { layout: 'cloudevent' as const, source: 'not a uri' }]) {
      let error: unknown;
      try {
        new RedisStreamSink({ redis: server.url, ...options });
      } catch (caught) {
        error = caught;
      }
      expect(isPublishError(error) && error.code).toBe('INVALID_OPTIONS');
      expect((error as Error).message).toMatch(/layout 'cloudevent' needs a source/);
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await clients()).toBe(before);

    const sink = new RedisStreamSink({ redis, layout: 'cloudevent', source: '/orders', stream: () => 'clashes' });
    const error: unknown = await sink
      .publish(createPublishedEvent({ name: 'x', payload: null }), { attributes: { source: 'elsewhere' } })
      .catch((caught: unknown) => caught);
    expect(isPublishError(error) && error.code).toBe('INVALID_EVENT');
    expect((error as Error).message).toMatch(/attribute 'source' would overwrite/);
    const [outcome] = await sink.publishBatch([
      { event: createPublishedEvent({ name: 'x', payload: null }), options: { attributes: { event_id: '1' } } },
    ]);
    expect(outcome?.status).toBe('rejected');
    expect(await redis.xlen('clashes')).toBe(0);
  });
});
