import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { OutboxStore } from '@events-protocol/outbox';
import { PostgresOutboxStore } from '@events-protocol/outbox/postgres';
import { RedisOutboxStore } from '@events-protocol/outbox/redis';
import { SqliteOutboxStore } from '@events-protocol/outbox/sqlite';
import { writeJson } from '@events-protocol/core';
import { startPostgresServer } from '../support/postgres-server.js';
import { startRedisServer } from '../support/redis-server.js';
import { orderEvent } from './events.js';

// Tables and streams written before leases counted against the budget (and before attempt
// records): events a runaway relay claimed again and again (attempt 7 of a budget of 3) and an
// event one claim short of it. The new code must take both over as they are, with no step by hand.

const budget = 3;
const leaseExpired = (attempt: number) =>
  expect.objectContaining({
    attempt,
    outcome: 'interrupted',
    error: expect.objectContaining({ code: 'LEASE_EXPIRED' }),
  }) as unknown;
/** An attempt error as the earlier version wrote it. */
const interrupted = (attempt: number, at: Date) => ({
  attempt,
  at: at.toISOString(),
  name: 'LeaseExpired',
  code: 'LEASE_EXPIRED',
  message: 'the attempt was interrupted: its lease expired before a relay recorded the outcome',
});

async function expectTakenOver(store: OutboxStore): Promise<void> {
  const claimed = await store.claim({ limit: 10, leaseMs: 60_000, now: new Date(), owner: 'new', maxAttempts: budget });
  expect(claimed.map((event) => [event.event.id, event.attempt])).toEqual([['old-2', 3]]);
  expect(claimed[0]!.history).toEqual([leaseExpired(1), leaseExpired(2)]);
  const runaway = await store.getEntry('old-1');
  expect(runaway).toMatchObject({ state: 'undelivered', attempts: 7 });
  expect(runaway!.history.at(-1)).toEqual(leaseExpired(7));
  expect(
    await store.settle([{ claimed: claimed[0]!, attempt: deliveredAttempt(3), next: 'delivered' }], new Date()),
  ).toEqual([true]);
  expect(await store.pendingCount()).toBe(0);
}

function deliveredAttempt(attempt: number) {
  return { attempt, at: new Date().toISOString(), durationMs: 3, outcome: 'delivered' } as const;
}

/** The tables of the earlier version, before the lease index. */
const oldSqliteTable = `CREATE TABLE outbox_events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, topic TEXT, event TEXT NOT NULL,
  attributes TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'undelivered')),
  attempts INTEGER NOT NULL DEFAULT 0, errors TEXT NOT NULL DEFAULT '[]', enqueued_at INTEGER NOT NULL,
  available_at INTEGER NOT NULL, locked_until INTEGER, lease TEXT, delivered_at INTEGER, failed_at INTEGER)`;
const oldPostgresTable = `CREATE TABLE old_outbox (
  seq bigserial PRIMARY KEY, id text NOT NULL UNIQUE, topic text, event json NOT NULL,
  attributes jsonb NOT NULL DEFAULT '{}',
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'undelivered')),
  attempts integer NOT NULL DEFAULT 0, errors jsonb NOT NULL DEFAULT '[]', enqueued_at timestamptz NOT NULL,
  available_at timestamptz NOT NULL, locked_until timestamptz, lease text, delivered_at timestamptz,
  failed_at timestamptz)`;

/** `old-1`, `old-2`: the events of the old outbox. */
const oldEvent = (id: string) => orderEvent(Number(id.slice('old-'.length)), 'old');

/** Rows as the old relay left them: leased by a relay that died, the lease long over. */
function oldRows(now: number): { id: string; attempts: number; errors: string; lockedUntil: number }[] {
  const errors = (count: number) =>
    JSON.stringify(Array.from({ length: count }, (_, index) => interrupted(index + 1, new Date(now - 60_000))));
  return [
    { id: 'old-1', attempts: 7, errors: errors(6), lockedUntil: now - 5000 },
    { id: 'old-2', attempts: 2, errors: errors(1), lockedUntil: now - 5000 },
  ];
}

describe('leases taken over from an outbox written by an earlier version', () => {
  it('SQLite: brings the earlier table up to date and settles old expired leases', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'outbox-migration-'));
    const filename = join(directory, 'outbox.db');
    try {
      const database = new Database(filename);
      database.exec(oldSqliteTable);
      const insert = database.prepare(`INSERT INTO outbox_events
        (id, event, attributes, attempts, errors, enqueued_at, available_at, locked_until, lease)
        VALUES (@id, @event, '{}', @attempts, @errors, 0, 0, @lockedUntil, 'old-relay/lease')`);
      for (const row of oldRows(Date.now())) insert.run({ ...row, event: writeJson(oldEvent(row.id)) });
      database.close();

      const store = new SqliteOutboxStore({ filename });
      try {
        await store.setup();
        expect(await store.setup()).toEqual([]);
        await expectTakenOver(store);
      } finally {
        await store.close();
      }
      const check = new Database(filename, { readonly: true });
      const index = check.prepare(`SELECT name FROM sqlite_master WHERE name = 'outbox_events_leased'`).get();
      check.close();
      expect(index).toEqual({ name: 'outbox_events_leased' });
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('PostgreSQL: brings the earlier table up to date and settles old expired leases', async () => {
    await using postgres = await startPostgresServer();
    const pool = new pg.Pool({ connectionString: postgres.url });
    pool.on('error', () => undefined); // idle clients see the server stop at the end
    try {
      await pool.query(oldPostgresTable);
      for (const row of oldRows(Date.now())) {
        await pool.query(
          `INSERT INTO old_outbox (id, event, attempts, errors, enqueued_at, available_at, locked_until, lease)
           VALUES ($1, $2, $3, $4, now(), now(), $5, 'old-relay/lease')`,
          [row.id, writeJson(oldEvent(row.id)), row.attempts, row.errors, new Date(row.lockedUntil)],
        );
      }
      const store = new PostgresOutboxStore({ pool, table: 'old_outbox' });
      await store.setup();
      expect(await store.setup()).toEqual([]);
      const { rows } = await pool.query(`SELECT 1 FROM pg_indexes WHERE indexname = 'old_outbox_leased'`);
      expect(rows).toHaveLength(1);
      await expectTakenOver(store);
    } finally {
      await pool.end();
    }
  });

  it('Redis: counts the deliveries of entries the old relays claimed over and over', async () => {
    await using server = await startRedisServer();
    const redis = new Redis(server.url);
    const store = new RedisOutboxStore({ redis, prefix: 'old' });
    try {
      // The stream and consumer group as the earlier version's setup made them.
      await redis.xgroup('CREATE', 'old:events', 'relays', '$', 'MKSTREAM');
      for (const [index, id] of ['old-1', 'old-2'].entries()) {
        const fields = { id, event: writeJson(oldEvent(id)), attributes: '{}', enqueuedAt: '0' };
        await redis.xadd('old:events', '*', ...Object.entries({ ...fields, attempts: '0', errors: '[]' }).flat());
        await redis.sadd('old:ids', id);
        const read = await redis.call('XREADGROUP', [
          'GROUP',
          'relays',
          'old-relay',
          'COUNT',
          1,
          'STREAMS',
          'old:events',
          '>',
        ]);
        const entryId = (read as [string, [string, string[]][]][])[0]![1][0]![0];
        // The old relays took an expired entry over with XAUTOCLAIM: each one another delivery.
        for (let delivery = 1; delivery < (index === 0 ? 7 : 2); delivery++) {
          await redis.call('XCLAIM', ['old:events', 'relays', `old-relay-${delivery}`, 0, entryId]);
        }
      }
      await sleep(120);
      await store.setup();
      const claimed = await store.claim({
        limit: 10,
        leaseMs: 100,
        now: new Date(),
        owner: 'new',
        maxAttempts: budget,
      });
      expect(claimed.map((event) => [event.event.id, event.attempt])).toEqual([['old-2', 3]]);
      expect(claimed[0]!.history).toEqual([leaseExpired(1), leaseExpired(2)]);
      const runaway = await store.getEntry('old-1');
      expect(runaway).toMatchObject({ state: 'undelivered', attempts: 7 });
      expect(runaway!.history.map((record) => [record.attempt, record.outcome])).toEqual(
        [1, 2, 3, 4, 5, 6, 7].map((attempt) => [attempt, 'interrupted']),
      );
      const delivered = deliveredAttempt(3);
      expect(await store.settle([{ claimed: claimed[0]!, attempt: delivered, next: 'delivered' }], new Date())).toEqual(
        [true],
      );
      expect(await store.pendingCount()).toBe(0);
      expect(await redis.exists('old:interrupted')).toBe(0);
    } finally {
      await store.close();
      redis.disconnect();
    }
  });
});
