import { consoleRouter } from '@events-protocol/console/express';
import { Outbox } from '@events-protocol/outbox';
import { SqliteOutboxStore } from '@events-protocol/outbox/sqlite';
import { createPublishedEvent } from '@events-protocol/publish';
import { DurableTopicPublisher } from '@events-protocol/topics';
import { RedisWebhookStore } from '@events-protocol/webhooks/redis';
import express from 'express';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen } from '../support/http-server.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { eventually } from '../webhooks/harness.js';
import { bearerAuthorize, callApi, consoleFixture, recordingConsoleLogger } from './console-fixture.js';

// The console mounted in Express 5 over a topics outbox on a SQLite file, and over webhook
// deliveries kept in a real Redis.
describe('the operator console on Express, over topics', () => {
  let directory: string;
  let outbox: Outbox;
  let store: SqliteOutboxStore;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'console-'));
    store = new SqliteOutboxStore({ filename: join(directory, 'outbox.db') });
    outbox = new Outbox({ store });
    await outbox.setup();
    for (let index = 0; index < 3; index += 1) {
      const event = createPublishedEvent({ name: 'order:placed', payload: { orderId: `o-${index}` } });
      await outbox.storeUndelivered(event, new Error('target refused'), { topic: 'orders' });
    }
  });
  afterAll(async () => {
    await store.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('lists topics with their targets (credentials masked) and redelivers through the router, behind a JSON parser', async () => {
    const publisher = new DurableTopicPublisher({
      topics: { orders: { name: 'noop', publish: async () => undefined, healthCheck: async () => true } },
      outbox,
    });
    const logger = recordingConsoleLogger();
    const app = express();
    app.use(express.json());
    app.use(
      consoleRouter({
        basePath: '/admin/events',
        authorize: bearerAuthorize,
        outboxes: { topics: publisher.outbox },
        topics: {
          outbox: 'topics',
          targets: [{ topic: 'orders', type: 'redis', endpoint: 'redis://app:hunter2-secret@cache.internal:6379/0' }],
        },
        logger,
      }),
    );
    await using server = await listen(app.listen(0, '127.0.0.1'));
    const url = `${server.origin}/admin/events`;
    const topics = await callApi(url, 'topics');
    expect(topics.json).toEqual({
      outbox: 'topics',
      topics: [
        {
          topic: 'orders',
          type: 'redis',
          endpoint: 'redis://***:***@cache.internal:6379/0',
          pending: { count: 0, more: false },
          undelivered: { count: 3, more: false },
        },
      ],
    });
    expect(topics.text).not.toContain('hunter2-secret');
    expect((await callApi(url, 'topics', { token: null })).status).toBe(401);
    const page = await fetch(`${url}/`, { headers: { authorization: 'Bearer op-token-7f3a9c1e' } });
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(await page.text()).toContain('<script type="module" src="console.js">');

    const list = await callApi(url, 'outboxes/topics/undelivered?topic=orders');
    const ids = (list.json['entries'] as { id: string }[]).map((entry) => entry.id);
    const answer = await callApi(url, 'outboxes/topics/redeliver', {
      body: { filter: { topic: 'orders' }, confirm: 'all' },
    });
    expect(answer.json).toEqual({ action: 'redeliver', count: 3 });
    for (const id of ids) expect((await outbox.getEntry(id))?.state).toBe('pending');
    expect(logger.lines.at(-1)?.object).toMatchObject({
      action: 'redeliver',
      selection: { filter: { topic: 'orders' } },
      count: 3,
    });
  });
});

describe('the operator console on Express without a body parser', () => {
  it('reads an action body itself', async () => {
    await using fixture = await consoleFixture({ events: 1 });
    const app = express();
    app.use(
      consoleRouter({
        basePath: '/ops',
        authorize: bearerAuthorize,
        outboxes: { webhooks: fixture.hooks.dispatcher.outbox },
      }),
    );
    await using server = await listen(app.listen(0, '127.0.0.1'));
    const id = fixture.deliveryIds[0]!;
    const answer = await callApi(`${server.origin}/ops`, 'outboxes/webhooks/purge', {
      body: { ids: [id], confirm: 1 },
    });
    expect(answer.json).toEqual({ action: 'purge', count: 1 });
    expect(await fixture.hooks.dispatcher.outbox.getEntry(id)).toBeUndefined();
  });
});

describe('the operator console over webhook deliveries in Redis', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis.stop();
  });

  it('lists undelivered deliveries with their attempts and redelivers one', async () => {
    await using fixture = await consoleFixture({
      events: 2,
      open: () => Promise.resolve(new RedisWebhookStore(redis.url, { prefix: 'console-test' })),
    });
    const list = await callApi(fixture.url, 'outboxes/webhooks/undelivered');
    const entries = list.json['entries'] as { id: string; attempts: number }[];
    expect(entries.map((entry) => entry.id).sort()).toEqual([...fixture.deliveryIds].sort());
    expect(entries.every((entry) => entry.attempts === 2)).toBe(true);
    fixture.state.fixed = true;
    const id = fixture.deliveryIds[0]!;
    expect(
      (await callApi(fixture.url, 'outboxes/webhooks/redeliver', { body: { ids: [id], confirm: 1 } })).json,
    ).toEqual({
      action: 'redeliver',
      count: 1,
    });
    await eventually(async () => (await fixture.hooks.dispatcher.outbox.getEntry(id))?.state === 'delivered');
  });
});
