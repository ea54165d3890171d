import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Outbox, type OutboxStore } from '@events-protocol/outbox';
import { PostgresOutboxStore } from '@events-protocol/outbox/postgres';
import { RedisOutboxStore } from '@events-protocol/outbox/redis';
import { SqliteOutboxStore } from '@events-protocol/outbox/sqlite';
import { startPostgresServer, type PostgresServer } from '../support/postgres-server.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { orderEvent } from './events.js';
import { httpTestSink } from './http-test-sink.js';
import { startReceiver } from './receiver.js';

// An idle relay sleeps on its store's wake-up, not on its poll interval: with a poll interval of
// ten minutes, an entry enqueued through another store object (a producer of its own) is still
// delivered at once, and stop() ends the sleep at once.

let directory: string;
let redis: RedisServer;
let postgres: PostgresServer;
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'outbox-wakeups-'));
  [redis, postgres] = await Promise.all([startRedisServer(), startPostgresServer()]);
});
afterAll(async () => {
  await Promise.all([redis.stop(), postgres.stop()]);
  await rm(directory, { recursive: true, force: true });
});

const tenMinutes = 600_000;
// Far below the poll interval, far above a wake-up on a loaded machine.
const generousMs = 20_000;

const stores: [string, boolean, () => OutboxStore][] = [
  // SQLite wakes relays of the same store object only: the producer shares it.
  ['SQLite', true, () => new SqliteOutboxStore({ filename: join(directory, 'outbox.db') })],
  ['Redis', false, () => new RedisOutboxStore({ redis: redis.url, prefix: 'wakeups' })],
  ['PostgreSQL', false, () => new PostgresOutboxStore({ pool: postgres.url, table: 'wakeups' })],
];

describe.each(stores)('a relay idle on a %s outbox', (name, shared, open) => {
  it('delivers an entry enqueued while it sleeps, and stops at once', async () => {
    await using receiver = await startReceiver();
    const relayStore = open();
    const producerStore = shared ? relayStore : open();
    const relay = new Outbox({ store: relayStore }).relay({
      sink: httpTestSink(receiver.url),
      pollIntervalMs: tenMinutes,
    });
    try {
      await relayStore.setup();
      relay.start();
      await sleep(500); // it claimed nothing and sleeps
      const enqueued = Date.now();
      expect(await new Outbox({ store: producerStore }).enqueue(orderEvent(1, 'wake'))).toBe(true);
      await expect.poll(() => receiver.received.has('wake-1'), { interval: 5, timeout: generousMs }).toBe(true);
      console.log(`${name}: delivered ${Date.now() - enqueued} ms after the enqueue began`);
      const limit = new AbortController();
      const stopped = relay.stop().then(() => true);
      const late = sleep(generousMs, false, { signal: limit.signal }).catch(() => false);
      expect(await Promise.race([stopped, late])).toBe(true);
      limit.abort();
    } finally {
      await relay.stop();
      await relayStore.close();
      if (!shared) await producerStore.close();
    }
  });
});
