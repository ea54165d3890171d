import { isOutboxError, Outbox } from '@events-protocol/outbox';
import { SqliteOutboxStore } from '@events-protocol/outbox/sqlite';
import { createPublishedEvent, type PublishedEvent } from '@events-protocol/publish';
import { DurableTopicPublisher, applyTopicsConfig, readTopicsConfig, topicsFromConfig } from '@events-protocol/topics';
import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.js';
import { listen, readBody, type RunningServer } from '../support/http-server.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { eventually } from '../support/eventually.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A receiver that records events and answers `status()` (or never, for 'hang'). */
async function receiver(status: () => number | 'hang' = () => 204, port = 0) {
  const received: { at: number; event: PublishedEvent }[] = [];
  const server = createServer((request: IncomingMessage, response) => {
    void readBody(request).then((body) => {
      const answer = status();
      if (answer === 'hang') return;
      if (answer < 300) received.push({ at: Date.now(), event: JSON.parse(body) as PublishedEvent });
      response.writeHead(answer).end();
    });
  });
  const running: RunningServer =
    port === 0
      ? await listen(server)
      : await new Promise<RunningServer>((resolve) =>
          server.listen(port, '127.0.0.1', () => {
            const close = async () => {
              server.closeAllConnections();
              await new Promise<void>((done) => server.close(() => done()));
            };
            resolve({ server, port, origin: `http://127.0.0.1:${port}`, close, [Symbol.asyncDispose]: close });
          }),
        );
  return { running, received, url: `${running.origin}/in` };
}

let directory: string;
let files = 0;
const outboxFile = () => join(directory, `outbox-${++files}.db`);
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'topics-'));
});
afterAll(() => rm(directory, { recursive: true, force: true }));

function publisherFor(url: string, file = outboxFile(), publishTimeoutMs = 500) {
  const config = readTopicsConfig({
    outbox: { store: `sqlite:${file}` },
    publishTimeoutMs,
    topics: [{ topic: 'orders', type: 'http', endpoint: url, options: { timeouts: 5000 } }],
  });
  return topicsFromConfig(config);
}

describe('publishing to a topic', () => {
  it('delivers straight to the target when it answers in time', async () => {
    const { running, received, url } = await receiver();
    await using _receiver = running;
    const { publisher, close } = await publisherFor(url);
    const result = await publisher.publish(
      'orders',
      { name: 'order:placed', payload: { orderId: 'o-1' } },
      { region: 'eu' },
    );
    expect(result.outcome).toBe('delivered');
    expect(received.map((entry) => entry.event.id)).toEqual([result.event.id]);
    expect(await publisher.outbox.pendingCount()).toBe(0);
    await close();
  });

  it('stores an event for an unreachable target as undelivered; redelivery empties the view once it is back', async () => {
    const port = await freePort();
    const { publisher, close } = await publisherFor(`http://127.0.0.1:${port}/in`);
    const outcomes = [];
    for (let index = 0; index < 3; index++) {
      outcomes.push(await publisher.publish('orders', { name: 'order:placed', payload: { index } }));
    }
    expect(outcomes.map((outcome) => outcome.outcome)).toEqual(['undelivered', 'undelivered', 'undelivered']);
    const view = await publisher.outbox.listUndelivered({ topic: 'orders' });
    expect(view.events.map((event) => event.id)).toEqual(outcomes.map((outcome) => outcome.event.id));
    const inspected = await publisher.outbox.getUndelivered(outcomes[0]!.event.id);
    expect(inspected).toMatchObject({ topic: 'orders', attempts: 1, event: { payload: { index: 0 } } });
    expect(inspected?.history[0]?.error?.message).toMatch(/ECONNREFUSED|unreachable|connect/i);

    // The target comes back on the same port; redelivery hands the events to the relay.
    const { running, received } = await receiver(() => 204, port);
    await using _receiver = running;
    const relay = publisher.relay({ pollIntervalMs: 20 });
    relay.start();
    expect(await publisher.outbox.redeliver({ topic: 'orders' })).toBe(3);
    await eventually(() => received.length === 3);
    expect((await publisher.outbox.listUndelivered()).events).toEqual([]);
    await relay.stop();
    await close();
  });

  it('never waits on a hanging target longer than the publish timeout', async () => {
    const { running, url } = await receiver(() => 'hang');
    await using _receiver = running;
    const { publisher, close } = await publisherFor(url, outboxFile(), 300);
    const started = Date.now();
    const result = await publisher.publish('orders', { name: 'order:placed', payload: {} });
    const waited = Date.now() - started;
    expect(result.outcome).toBe('undelivered');
    expect(waited).toBeLessThan(3000);
    const [stored] = (await publisher.outbox.listUndelivered()).events;
    expect(stored?.history[0]?.error?.message).toContain('within 300 ms');
    await close();
  });

  it('refuses a topic that is not configured, storing nothing', async () => {
    const { publisher, close } = await publisherFor('http://127.0.0.1:9/in');
    await expect(publisher.publish('invoices', { name: 'x', payload: {} })).rejects.toMatchObject({
      code: 'TOPIC_NOT_CONFIGURED',
    });
    expect(await publisher.outbox.pendingCount()).toBe(0);
    await close();
  });
});

describe('scheduled publishing', () => {
  it('delivers after a restart and not before its time; a cancelled event is never delivered', async () => {
    const { running, received, url } = await receiver();
    await using _receiver = running;
    const file = outboxFile();

    const first = await publisherFor(url, file);
    const scheduledAt = Date.now() + 1200;
    const kept = await first.publisher.publish('orders', { name: 'reminder', payload: { n: 1 } }, undefined, {
      at: new Date(scheduledAt),
    });
    const cancelled = await first.publisher.publish('orders', { name: 'reminder', payload: { n: 2 } }, undefined, {
      delayMs: 1200,
    });
    expect([kept.outcome, cancelled.outcome]).toEqual(['scheduled', 'scheduled']);
    expect(await first.publisher.cancel(cancelled.event.id)).toBe(true);
    await first.close(); // the process stops before anything is due

    const second = await publisherFor(url, file);
    const relay = second.publisher.relay({ pollIntervalMs: 20 });
    relay.start();
    await eventually(() => received.length === 1);
    await pause(300);
    await relay.stop();
    expect(received.map((entry) => entry.event.id)).toEqual([kept.event.id]);
    expect(received[0]!.at).toBeGreaterThanOrEqual(scheduledAt);
    expect(await second.publisher.cancel(kept.event.id)).toBe(false);
    await second.close();
  });
});

describe('bulk publishing', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(() => redis.stop());

  it('stores a batch in one transaction and the relay delivers it to a Redis stream', async () => {
    const config = readTopicsConfig({
      outbox: { store: `sqlite:${outboxFile()}` },
      topics: [{ topic: 'orders', type: 'redis', endpoint: redis.url, options: { stream: 'bulk:orders' } }],
    });
    const { publisher, close } = await topicsFromConfig(config);
    const events = await publisher.publishMany(
      'orders',
      Array.from({ length: 200 }, (_, index) => ({ name: 'order:placed', payload: { index } })),
      { source: 'import' },
    );
    expect(await publisher.outbox.pendingCount()).toBe(200);
    const relay = publisher.relay({ pollIntervalMs: 20, batchSize: 100 });
    relay.start();
    const inspector = new Redis(redis.url);
    await eventually(async () => (await inspector.xlen('bulk:orders')) === 200);
    await relay.stop();
    const [[, fields] = ['', []]] = await inspector.xrange('bulk:orders', '-', '+', 'COUNT', 1);
    expect(fields).toContain(events[0]!.id);
    expect(fields).toContain('attr:source');
    inspector.disconnect();
    await close();
  });

  it('leaves nothing stored when a batch fails half-way, and refuses a batch over the maximum', async () => {
    const database = new Database(outboxFile());
    const store = new SqliteOutboxStore({ database });
    // The database refuses the seventh event: a failure half-way through the batch's transaction.
    database.exec(`CREATE TRIGGER refuse_poison BEFORE INSERT ON outbox_events WHEN NEW.id = 'poison'
      BEGIN SELECT RAISE(ABORT, 'disk full'); END`);
    const publisher = new DurableTopicPublisher({
      topics: {
        orders: { name: 'unused', publish: () => Promise.resolve(), healthCheck: () => Promise.resolve(true) },
      },
      outbox: new Outbox({ store }),
    });
    const messages: PublishedEvent[] = Array.from({ length: 10 }, (_, index) =>
      createPublishedEvent({ name: 'order:placed', payload: { index }, ...(index === 6 ? { id: 'poison' } : {}) }),
    );
    const error: unknown = await publisher.publishMany('orders', messages).catch((caught: unknown) => caught);
    expect(isOutboxError(error) && error.code).toBe('ENQUEUE_FAILED');
    expect(String((error as Error).cause)).toContain('disk full');
    expect(await store.pendingCount()).toBe(0);

    const tooMany = Array.from({ length: 1001 }, () => createPublishedEvent({ name: 'x', payload: null }));
    await expect(publisher.publishMany('orders', tooMany)).rejects.toMatchObject({ code: 'BATCH_TOO_LARGE' });
    expect(await store.pendingCount()).toBe(0);
    await publisher.publishMany(
      'orders',
      messages.filter((message) => message.id !== 'poison'),
    );
    expect(await store.pendingCount()).toBe(9);
    await store.close();
    database.close();
  });
});

describe('applyTopicsConfig', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(() => redis.stop());

  it('creates streams, consumer groups and the outbox table once, and reports what it created', async () => {
    const file = outboxFile();
    const config = readTopicsConfig({
      outbox: { store: `sqlite:${file}` },
      topics: [
        { topic: 'orders', type: 'redis', endpoint: redis.url, options: { group: 'billing' } },
        { topic: 'audit', type: 'redis', endpoint: redis.url },
        { topic: 'hooks', type: 'http', endpoint: 'https://hooks.example.com/in' },
      ],
    });
    const created = await applyTopicsConfig(config);
    expect(created).toEqual([
      { topic: undefined, resource: `outbox table outbox_events in ${file}` },
      { topic: 'orders', resource: 'redis stream events:orders' },
      { topic: 'orders', resource: 'consumer group billing on events:orders' },
      { topic: 'audit', resource: 'redis stream events:audit' },
      { topic: 'audit', resource: 'consumer group consumers on events:audit' },
    ]);
    expect(await applyTopicsConfig(config)).toEqual([]);
    const inspector = new Redis(redis.url);
    const groups = (await inspector.xinfo('GROUPS', 'events:orders')) as unknown[][];
    expect(groups.map((group) => group[1])).toEqual(['billing']);
    inspector.disconnect();
  });
});
