import { writeJson } from '@events-protocol/core';
import { describe, expect, it } from 'vitest';
import { PostgresOutboxStore } from '@events-protocol/outbox/postgres';
import { orderEvent } from './events.js';
import { postgresWithAdmin } from './postgres-with-admin.js';

// A table the previous version created (attempt errors in an `errors` column) keeps working: the
// first setup converts its errors into attempt records.

const postgres = postgresWithAdmin();

/** The DDL of the previous version, as it created its tables. */
function previousSchema(table: string): string {
  return `
    CREATE TABLE ${table} (
      seq bigserial PRIMARY KEY,
      id text NOT NULL UNIQUE,
      topic text,
      event json NOT NULL,
      attributes jsonb NOT NULL DEFAULT '{}',
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'undelivered')),
      attempts integer NOT NULL DEFAULT 0,
      errors jsonb NOT NULL DEFAULT '[]',
      enqueued_at timestamptz NOT NULL,
      available_at timestamptz NOT NULL,
      locked_until timestamptz,
      lease text,
      delivered_at timestamptz,
      failed_at timestamptz
    );
    CREATE INDEX ${table}_due ON ${table} (available_at) WHERE status = 'pending';
    CREATE INDEX ${table}_failed ON ${table} (failed_at) WHERE status = 'undelivered';
    CREATE INDEX ${table}_delivered ON ${table} (delivered_at) WHERE status = 'delivered';
    CREATE INDEX ${table}_leased ON ${table} (locked_until) WHERE status = 'pending' AND lease IS NOT NULL;
  `;
}

const t0 = new Date('2026-01-01T00:00:00Z');
const failedError = {
  attempt: 1,
  at: '2026-01-01T00:00:01.000Z',
  message: 'receiver said 503',
  name: 'PublishError',
  code: 'FAILED',
};
const bareError = { attempt: 2, at: '2026-01-01T00:00:02.000Z', message: 'socket hang up' };
const expiredError = {
  attempt: 3,
  at: '2026-01-01T00:00:03.000Z',
  message: 'the attempt was interrupted: its lease expired before a relay recorded the outcome',
  name: 'LeaseExpired',
  code: 'LEASE_EXPIRED',
};

async function insertPrevious(
  table: string,
  index: number,
  row: { status: string; attempts: number; errors: unknown[]; lease?: string; lockedUntil?: Date },
): Promise<void> {
  const event = orderEvent(index);
  await postgres.admin.query(
    `INSERT INTO ${table} (id, topic, event, attributes, status, attempts, errors, enqueued_at, available_at,
       locked_until, lease, failed_at, delivered_at)
     VALUES ($1, 'orders', $2::json, '{"tenant":"acme"}', $3::text, $4, $5::jsonb, $6::timestamptz, $6, $7, $8,
       CASE WHEN $3 = 'undelivered' THEN $6 END, CASE WHEN $3 = 'delivered' THEN $6 END)`,
    [
      event.id,
      // The previous version wrote events with all the digits of 64-bit integers, as we do.
      writeJson(event),
      row.status,
      row.attempts,
      JSON.stringify(row.errors),
      t0,
      row.lockedUntil ?? null,
      row.lease ?? null,
    ],
  );
}

describe('a PostgreSQL outbox table of the previous version', () => {
  it('has its errors converted into attempt records by setup, and keeps working', async () => {
    const table = 'previous_outbox';
    await postgres.admin.query(previousSchema(table));
    await insertPrevious(table, 1, {
      status: 'undelivered',
      attempts: 3,
      errors: [failedError, bareError, expiredError],
    });
    await insertPrevious(table, 2, { status: 'pending', attempts: 1, errors: [bareError] });
    await insertPrevious(table, 3, { status: 'delivered', attempts: 1, errors: [] });
    // Claimed by a relay of the previous version that died: its lease ran out.
    await insertPrevious(table, 4, { status: 'pending', attempts: 1, errors: [], lease: 'old/1', lockedUntil: t0 });

    const store = new PostgresOutboxStore({ pool: postgres.url, table });
    try {
      expect(await store.setup()).toEqual([
        `column ${table}.history`,
        `attempt history of ${table} from its errors column`,
        `column ${table}.ordering_key`,
      ]);
      const interrupted = {
        attempt: 3,
        at: expiredError.at,
        durationMs: 0,
        outcome: 'interrupted',
        error: { message: expiredError.message, name: 'LeaseExpired', code: 'LEASE_EXPIRED' },
      };
      expect(await store.getEntry('run-1')).toMatchObject({
        state: 'undelivered',
        attempts: 3,
        failedAt: t0,
        history: [
          {
            attempt: 1,
            at: failedError.at,
            durationMs: 0,
            outcome: 'failed',
            error: { message: 'receiver said 503', name: 'PublishError', code: 'FAILED' },
          },
          { attempt: 2, at: bareError.at, durationMs: 0, outcome: 'failed', error: { message: 'socket hang up' } },
          interrupted,
        ],
      });
      const bare = (await store.getEntry('run-1'))!.history[1]!;
      expect(Object.keys(bare.error!)).toEqual(['message']);
      expect(await store.getEntry('run-3')).toMatchObject({ state: 'delivered', history: [], deliveredAt: t0 });
      expect((await store.getEntry('run-1'))!.event).toEqual(orderEvent(1));

      const columns = await postgres.admin.query<{ name: string }>(
        `SELECT attname AS name FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped`,
        [table],
      );
      expect(columns.rows.map((row) => row.name)).not.toContain('errors');

      // The old relay's expired lease is an interrupted attempt; the pending entry keeps its history.
      const [reclaimed] = await store.claim({ limit: 10, leaseMs: 60_000, now: new Date(), owner: 'relay' });
      expect(reclaimed).toMatchObject({ id: 'run-4', attempt: 2, history: [{ attempt: 1, outcome: 'interrupted' }] });
      const [retried] = await store.claim({ limit: 10, leaseMs: 60_000, now: new Date(), owner: 'relay' });
      expect(retried).toMatchObject({
        id: 'run-2',
        attempt: 2,
        history: [{ attempt: 2, outcome: 'failed', durationMs: 0 }],
      });
      expect(await store.redeliver({ ids: ['run-1'] }, new Date())).toBe(1);

      // Another process starting later finds nothing left to do.
      const second = new PostgresOutboxStore({ pool: postgres.url, table });
      expect(await second.setup()).toEqual([]);
      expect(await second.pendingCount()).toBe(3);
      await second.close();
    } finally {
      await store.close();
    }
  });

  it('keeps the newest 100 attempt records of a long error list', async () => {
    const table = 'previous_long';
    await postgres.admin.query(previousSchema(table));
    const errors = Array.from({ length: 130 }, (_, index) => ({ ...bareError, attempt: index + 1 }));
    await insertPrevious(table, 1, { status: 'undelivered', attempts: 130, errors });
    const store = new PostgresOutboxStore({ pool: postgres.url, table });
    try {
      const entry = await store.getEntry('run-1');
      expect(entry).toMatchObject({ attempts: 130 });
      expect(entry!.history.map((record) => record.attempt)).toEqual(
        Array.from({ length: 100 }, (_, index) => index + 31),
      );
    } finally {
      await store.close();
    }
  });

  it('is converted once when many processes start together', async () => {
    const table = 'previous_together';
    await postgres.admin.query(previousSchema(table));
    await insertPrevious(table, 1, { status: 'undelivered', attempts: 1, errors: [failedError] });
    const stores = Array.from({ length: 5 }, () => new PostgresOutboxStore({ pool: postgres.url, table }));
    try {
      const created = await Promise.all(stores.map((store) => store.setup()));
      expect(created.filter((names) => names.length > 0)).toHaveLength(1);
      expect((await stores[0]!.getEntry('run-1'))!.history).toEqual([
        {
          attempt: 1,
          at: failedError.at,
          durationMs: 0,
          outcome: 'failed',
          error: { message: 'receiver said 503', name: 'PublishError', code: 'FAILED' },
        },
      ]);
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  });
});
