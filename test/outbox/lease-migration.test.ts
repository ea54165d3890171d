import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { PostgresOutboxStore, RedisOutboxStore, SqliteOutboxStore, type OutboxStore } from '@events-protocol/outbox';
import { writeJson } from '@events-protocol/core';
import { startPostgresServer } from '../support/postgres-server.js';
import { startRedisServer } from '../support/redis-server.js';
import { orderEvent } from './events.js';

// Tables and streams written before leases counted against the budget: events a runaway relay
// claimed again and again (attempt 7 of a budget of 3) and an event one claim short of it. The
// new code must take both over as they are, with no step by hand.

const budget = 3;
const leaseExpired = (attempt: number) => expect.objectContaining({ attempt, code: 'LEASE_EXPIRED' }) as unknown;
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
  expect(claimed[0]!.errors).toEqual([leaseExpired(1), leaseExpired(2)]);
  const runaway = await store.getUndelivered('old-1');
  expect(runaway).toMatchObject({ attempts: 7 });
  expect(runaway!.errors.at(-1)).toEqual(leaseExpired(7));
  expect(await store.markDelivered(claimed[0]!, new Date())).toBe(true);
  expect(await store.pendingCount()).toBe(0);
}

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
  it('SQLite: adds the lease index to the existing table and settles old expired leases', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'outbox-migration-'));
    const filename = join(directory, 'outbox.db');
    try {
      await new SqliteOutboxStore({ filename }).close();
      const database = new Database(filename);
      database.exec('DROP INDEX outbox_events_leased');
      const insert = database.prepare(`INSERT INTO outbox_events
        (id, event, attributes, attempts, errors, enqueued_at, available_at, locked_until, lease)
        VALUES (@id, @event, '{}', @attempts, @errors, 0, 0, @lockedUntil, 'old-relay/lease')`);
      for (const row of oldRows(Date.now())) insert.run({ ...row, event: writeJson(oldEvent(row.id)) });
      database.close();

      const store = new SqliteOutboxStore({ filename });
      try {
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

  it('PostgreSQL: adds the lease index to the existing table and settles old expired leases', async () => {
    await using postgres = await startPostgresServer();
    const pool = new pg.Pool({ connectionString: postgres.url });
    pool.on('error', () => undefined); // idle clients see the server stop at the end
    try {
      await new PostgresOutboxStore({ pool, table: 'old_outbox' }).ensureSchema();
      await pool.query('DROP INDEX old_outbox_leased');
      for (const row of oldRows(Date.now())) {
        await pool.query(
          `INSERT INTO old_outbox (id, event, attempts, errors, enqueued_at, available_at, locked_until, lease)
           VALUES ($1, $2, $3, $4, now(), now(), $5, 'old-relay/lease')`,
          [row.id, writeJson(oldEvent(row.id)), row.attempts, row.errors, new Date(row.lockedUntil)],
        );
      }
      const store = new PostgresOutboxStore({ pool, table: 'old_outbox' });
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
      await store.setup();
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
      const claimed = await store.claim({
        limit: 10,
        leaseMs: 100,
        now: new Date(),
        owner: 'new',
        maxAttempts: budget,
      });
      expect(claimed.map((event) => [event.event.id, event.attempt])).toEqual([['old-2', 3]]);
      expect(claimed[0]!.errors).toEqual([leaseExpired(1), leaseExpired(2)]);
      const runaway = await store.getUndelivered('old-1');
      expect(runaway).toMatchObject({ attempts: 7 });
      expect(runaway!.errors.map((error) => error.attempt)).toEqual([1, 2, 3, 4, 5, 6, 7]);
      expect(await store.markDelivered(claimed[0]!, new Date())).toBe(true);
      expect(await store.pendingCount()).toBe(0);
      expect(await redis.exists('old:interrupted')).toBe(0);
    } finally {
      await store.close();
      redis.disconnect();
    }
  });
});
