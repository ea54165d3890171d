import { fixedSchedule } from '@events-protocol/core';
import { Outbox, throughQueue, type OutboxStore } from '@events-protocol/outbox';
import { PostgresOutboxStore } from '@events-protocol/outbox/postgres';
import { RedisOutboxStore } from '@events-protocol/outbox/redis';
import { SqliteOutboxStore } from '@events-protocol/outbox/sqlite';
import { createPublishedEvent, EventsProtocolSink, HttpSink, RecordingSink } from '@events-protocol/publish';
import type { RequestEvent } from '@events-protocol/core';
import { createEventServer, EventProcessor, EventRegistry } from '@events-protocol/server';
import { Redis } from 'ioredis';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen } from '../support/http-server.js';
import { startPostgresServer, type PostgresServer } from '../support/postgres-server.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { testDirectory } from '../support/test-directory.js';

// The outbox's store is outside the process too (a file, Redis, PostgreSQL): an event's `auth`
// is not written there unless the sink behind the outbox forwards it. And an event no sink can
// ever take (INVALID_EVENT, SERIALIZATION_FAILED) is not retried forever.

const authToken = 'AUTH-TOKEN-OUTBOX-5e1f0a9b';

function secretEvent() {
  return createPublishedEvent({
    name: 'order:placed',
    payload: { orderId: 'o-1' },
    auth: { token: authToken },
    identity: { userId: 'u-1' },
  });
}

/** Every byte of the SQLite database files in a directory. */
async function directoryBytes(directory: string): Promise<Buffer> {
  const files = await readdir(directory);
  return Buffer.concat(await Promise.all(files.map(async (file) => readFile(join(directory, file)))));
}

/** Every value held in Redis, whatever its type, as text. */
async function redisText(redis: Redis): Promise<string> {
  const parts: string[] = [];
  for (const key of await redis.keys('*')) {
    const type = await redis.type(key);
    if (type === 'stream') parts.push(JSON.stringify(await redis.xrange(key, '-', '+')));
    else if (type === 'hash') parts.push(JSON.stringify(await redis.hgetall(key)));
    else if (type === 'zset') parts.push(JSON.stringify(await redis.zrange(key, 0, -1)));
    else if (type === 'string') parts.push((await redis.get(key)) ?? '');
    else if (type === 'list') parts.push(JSON.stringify(await redis.lrange(key, 0, -1)));
    else if (type === 'set') parts.push(JSON.stringify(await redis.smembers(key)));
    else parts.push(`<${type} ${key}>`);
  }
  return parts.join('\n');
}

describe('the outbox store', () => {
  let redisServer: RedisServer;
  let postgres: PostgresServer;
  let redis: Redis;
  let pool: pg.Pool;

  beforeAll(async () => {
    [redisServer, postgres] = await Promise.all([startRedisServer(), startPostgresServer()]);
    redis = new Redis(redisServer.url);
    pool = new pg.Pool({ connectionString: postgres.url });
    // A pool's owner listens for its errors, as pg requires: idle clients see the server stop at the end.
    pool.on('error', () => undefined);
  }, 60_000);
  afterAll(async () => {
    redis.disconnect();
    await pool.end();
    await Promise.all([redisServer.stop(), postgres.stop()]);
  });

  const stores: [name: string, open: () => Promise<{ store: OutboxStore; stored: () => Promise<string> }>][] = [
    [
      'SQLite',
      async () => {
        const directory = await testDirectory('outbox-secrets');
        const store = new SqliteOutboxStore({ filename: join(directory, 'outbox.db') });
        return { store, stored: async () => (await directoryBytes(directory)).toString('latin1') };
      },
    ],
    [
      'Redis',
      async () => {
        await redis.flushall();
        return { store: new RedisOutboxStore({ redis }), stored: async () => redisText(redis) };
      },
    ],
    [
      'PostgreSQL',
      async () => {
        const store = new PostgresOutboxStore({ pool });
        await store.setup();
        return {
          store,
          stored: async () => JSON.stringify((await pool.query('SELECT * FROM outbox_events')).rows),
        };
      },
    ],
  ];

  it.each(stores)(
    '%s holds no auth for a sink that does not forward it, and the sink gets auth {}',
    async (_name, open) => {
      const { store, stored } = await open();
      const sink = new RecordingSink();
      const queued = throughQueue(sink, store, { relay: false });
      const event = secretEvent();
      await queued.publish(event, { topic: 'orders' });
      await queued.outbox.enqueue(secretEvent());
      const text = await stored();
      expect(text).toContain(event.id);
      expect(text).not.toContain(authToken);
      const relay = queued.outbox.relay({ sink });
      expect((await relay.runOnce()).delivered).toBe(2);
      expect(sink.events.map((each) => each.auth)).toEqual([{}, {}]);
      expect(sink.events[0]?.identity).toEqual({ userId: 'u-1' });
      await store.close();
    },
  );

  it('keeps auth for an events-protocol sink that forwards it, and the server receives it', async () => {
    const received: RequestEvent[] = [];
    const registry = new EventRegistry().register({
      name: 'order:placed',
      handler: (event) => void received.push(event),
    });
    await using server = await listen(createEventServer(new EventProcessor(registry)));
    const directory = await testDirectory('outbox-forward');
    const store = new SqliteOutboxStore({ filename: join(directory, 'outbox.db') });
    const sink = new EventsProtocolSink({ url: `${server.origin}/events`, timeout: 2000, forwardAuth: true });
    const queued = throughQueue(sink, store, { relay: false });
    await queued.publish(secretEvent());
    expect((await queued.outbox.relay({ sink }).runOnce()).delivered).toBe(1);
    expect(received[0]?.auth).toEqual({ token: authToken });
    await queued.close();
    await store.close();
  });

  it('refuses at enqueue a payload JSON cannot carry, storing nothing', async () => {
    const directory = await testDirectory('outbox-refuse');
    const store = new SqliteOutboxStore({ filename: join(directory, 'outbox.db') });
    const outbox = new Outbox({ store });
    const event = createPublishedEvent({ name: 'order:placed', payload: { items: [1, () => 2] } });
    await expect(outbox.enqueue(event)).rejects.toMatchObject({
      code: 'INVALID_EVENT',
      message: expect.stringContaining('payload.items[1] is a function') as unknown,
    });
    expect(await store.pendingCount()).toBe(0);
    await store.close();
  });

  it('moves an event the sink refuses as the caller’s error to undelivered at once, without retries', async () => {
    let requests = 0;
    await using receiver = await listen((_request, response) => {
      requests++;
      response.writeHead(204).end();
    });
    const directory = await testDirectory('outbox-permanent');
    const store = new SqliteOutboxStore({ filename: join(directory, 'outbox.db') });
    const outbox = new Outbox({ store });
    const sink = new HttpSink({ url: receiver.origin, timeouts: 2000 });
    const bad = secretEvent();
    await outbox.enqueue(bad, { attributes: { region: 'eu\r\nx-injected: 1' } });
    const relay = outbox.relay({ sink, schedule: fixedSchedule({ delayMs: 0, maxAttempts: 5 }) });
    expect(await relay.runOnce()).toMatchObject({ claimed: 1, undelivered: 1, retried: 0 });
    expect((await relay.runOnce()).claimed).toBe(0);
    const undelivered = await outbox.getUndelivered(bad.id);
    expect(undelivered?.history).toEqual([
      expect.objectContaining({
        attempt: 1,
        outcome: 'failed',
        error: expect.objectContaining({ code: 'INVALID_EVENT' }),
      }),
    ]);
    expect(requests).toBe(0);
    await sink.close();
    await store.close();
  });
});
