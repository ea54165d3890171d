import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { OutboxStore } from '@events-protocol/outbox';
import { PostgresOutboxStore } from '@events-protocol/outbox/postgres';
import { RedisOutboxStore } from '@events-protocol/outbox/redis';
import { SqliteOutboxStore } from '@events-protocol/outbox/sqlite';
import { startPostgresServer } from '../support/postgres-server.js';
import { startRedisServer } from '../support/redis-server.js';
import type { ChildStoreConfig } from './children/child-store.js';
import { kill, killChildren, printed, startChild } from './crash-scenario.js';
import { seededRandom, startReceiver } from './receiver.js';

// Ordered delivery under kill -9: a producer child enqueues events under a few ordering keys, a
// relay child delivers them to a receiver that refuses ~20 % of requests, and the relay is
// SIGKILLed at random points and restarted. Every event must arrive, and the first arrival of
// each key's events must be in enqueue order (a killed relay may deliver one event twice, never
// the next one before it). The limits end a hung run.
afterEach(killChildren);

const count = 600;
const keys = 6;
const kills = 4;

async function runOrderedCrash(config: ChildStoreConfig, open: () => OutboxStore): Promise<void> {
  const seed = Number(process.env.OUTBOX_CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));
  console.log(`ordered crash test (${config.kind}): seed ${seed}`);
  const random = seededRandom(seed);
  await using receiver = await startReceiver();
  receiver.fails = () => random() < 0.2;
  const runId = `ordered-${seed}`;
  const env = {
    OUTBOX_STORE: JSON.stringify(config),
    OUTBOX_COUNT: String(count),
    OUTBOX_KEYS: String(keys),
    OUTBOX_RUN_ID: runId,
    OUTBOX_RECEIVER: receiver.url,
  };
  const killedAt: number[] = [];
  try {
    const producer = startChild('ordered-producer.ts', env);
    let relay = startChild('relay.ts', env);
    for (let round = 0; round < kills; round++) {
      await printed(relay, 'relay ready');
      const before = receiver.deliveries();
      const flowing = Date.now() + 30_000;
      while (receiver.deliveries() === before && Date.now() < flowing) await sleep(10);
      await sleep(Math.floor(random() * 300));
      await kill(relay, 'SIGKILL');
      killedAt.push(receiver.received.size);
      relay = startChild('relay.ts', env);
    }
    await new Promise<void>((resolve) => {
      if (producer.exitCode !== null) resolve();
      else producer.once('exit', () => resolve());
    });
    expect(producer.exitCode).toBe(0);
    const deadline = Date.now() + 150_000;
    while (receiver.received.size < count && Date.now() < deadline) await sleep(50);
    await kill(relay, 'SIGTERM');
  } finally {
    await killChildren();
  }
  console.log(
    `ordered crash test (${config.kind}): ${receiver.received.size}/${count} ids, ${receiver.deliveries()} deliveries, ` +
      `${receiver.refusals()} refused, relay killed at ${killedAt.join(', ')}`,
  );
  // A Set keeps insertion order: the order in which each id first arrived.
  const firstArrivals = [...receiver.received].map((id) => Number(id.slice(runId.length + 1)));
  for (let key = 0; key < keys; key++) {
    const ofKey = firstArrivals.filter((index) => index % keys === key);
    expect(ofKey).toEqual(Array.from({ length: count / keys }, (_, position) => position * keys + key));
  }
  expect(killedAt.some((received) => received > 0 && received < count)).toBe(true);
  const store = open();
  try {
    expect(await store.stats(new Date())).toMatchObject({ pending: 0, undelivered: 0 });
  } finally {
    await store.close();
  }
}

describe('ordered delivery under kill -9', () => {
  it('delivers every key in order from SQLite', { timeout: 240_000 }, async () => {
    const directory = await mkdtemp(join(tmpdir(), 'outbox-ordered-crash-'));
    try {
      const filename = join(directory, 'outbox.db');
      await runOrderedCrash({ kind: 'sqlite', filename }, () => new SqliteOutboxStore({ filename }));
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('delivers every key in order from Redis Streams', { timeout: 240_000 }, async () => {
    await using redis = await startRedisServer();
    await runOrderedCrash(
      { kind: 'redis', url: redis.url, prefix: 'ordered' },
      () => new RedisOutboxStore({ redis: redis.url, prefix: 'ordered' }),
    );
  });

  it('delivers every key in order from PostgreSQL', { timeout: 240_000 }, async () => {
    await using postgres = await startPostgresServer();
    await runOrderedCrash(
      { kind: 'postgres', url: postgres.url, table: 'ordered_outbox' },
      () => new PostgresOutboxStore({ pool: postgres.url, table: 'ordered_outbox' }),
    );
  });
});
