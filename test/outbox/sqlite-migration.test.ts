import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeJson } from '@events-protocol/core';
import { SqliteOutboxStore } from '@events-protocol/outbox/sqlite';
import { orderEvent } from './events.js';

// A file written by the version before attempt records: attempt errors in an `errors` column.
// Opening it with this version must keep every entry and turn its errors into attempt records.

/** The table as the earlier version created it. */
const oldSchema = (table: string) => `
  CREATE TABLE ${table} (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    topic TEXT,
    event TEXT NOT NULL,
    attributes TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'undelivered')),
    attempts INTEGER NOT NULL DEFAULT 0,
    errors TEXT NOT NULL DEFAULT '[]',
    enqueued_at INTEGER NOT NULL,
    available_at INTEGER NOT NULL,
    locked_until INTEGER,
    lease TEXT,
    delivered_at INTEGER,
    failed_at INTEGER
  );
  CREATE INDEX ${table}_due ON ${table} (status, available_at);
  CREATE INDEX ${table}_failed ON ${table} (status, failed_at);
  CREATE INDEX ${table}_delivered ON ${table} (status, delivered_at);
  CREATE INDEX ${table}_leased ON ${table} (status, locked_until) WHERE lease IS NOT NULL;
`;

const table = 'old_outbox';
const at = '2026-01-01T00:00:00.000Z';
const oldFailure = (attempt: number) => ({
  attempt,
  at,
  message: `receiver said 503 (${attempt})`,
  name: 'PublishError',
  code: 'FAILED',
});
const oldInterruption = (attempt: number) => ({
  attempt,
  at,
  message: 'the attempt was interrupted: its lease expired before a relay recorded the outcome',
  name: 'LeaseExpired',
  code: 'LEASE_EXPIRED',
});
const failed = (attempt: number) => ({
  attempt,
  at,
  durationMs: 0,
  outcome: 'failed',
  error: { message: `receiver said 503 (${attempt})`, name: 'PublishError', code: 'FAILED' },
});
const interrupted = (attempt: number, when: unknown = at) => ({
  attempt,
  at: when,
  durationMs: 0,
  outcome: 'interrupted',
  error: expect.objectContaining({ name: 'LeaseExpired', code: 'LEASE_EXPIRED' }) as unknown,
});

interface OldRow {
  id: string;
  status: 'pending' | 'delivered' | 'undelivered';
  attempts: number;
  errors: string;
  lockedUntil?: number;
  lease?: string;
}

let directory: string;
let filename: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'outbox-sqlite-migration-'));
  filename = join(directory, 'outbox.db');
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

function writeOldFile(rows: OldRow[]): void {
  const database = new Database(filename);
  database.pragma('journal_mode = WAL');
  database.exec(oldSchema(table));
  const insert = database.prepare(`INSERT INTO ${table}
    (id, event, attributes, status, attempts, errors, enqueued_at, available_at, locked_until, lease,
     delivered_at, failed_at)
    VALUES (@id, @event, '{"tenant":"acme"}', @status, @attempts, @errors, 0, 0, @lockedUntil, @lease,
     @deliveredAt, @failedAt)`);
  for (const row of rows) {
    insert.run({
      ...row,
      event: writeJson(orderEvent(Number(row.id.slice('old-'.length)), 'old')),
      lockedUntil: row.lockedUntil ?? null,
      lease: row.lease ?? null,
      deliveredAt: row.status === 'delivered' ? 1000 : null,
      failedAt: row.status === 'undelivered' ? 2000 : null,
    });
  }
  database.close();
}

function rawErrors(): Record<string, string> {
  const database = new Database(filename, { readonly: true });
  try {
    const rows = database.prepare(`SELECT id, errors FROM ${table} ORDER BY seq`).all() as {
      id: string;
      errors: string;
    }[];
    return Object.fromEntries(rows.map((row) => [row.id, row.errors]));
  } finally {
    database.close();
  }
}

describe('a SQLite outbox written by the version before attempt records', () => {
  it('turns each entry’s attempt errors into its history and keeps delivering', async () => {
    writeOldFile([
      { id: 'old-1', status: 'pending', attempts: 2, errors: JSON.stringify([oldFailure(1), oldFailure(2)]) },
      {
        id: 'old-2',
        status: 'pending',
        attempts: 1,
        errors: '[]',
        lockedUntil: Date.now() - 5000,
        lease: 'old-relay/lease',
      },
      {
        id: 'old-3',
        status: 'undelivered',
        attempts: 2,
        errors: JSON.stringify([oldFailure(1), oldInterruption(2)]),
      },
      { id: 'old-4', status: 'delivered', attempts: 2, errors: JSON.stringify([oldFailure(1)]) },
      { id: 'old-5', status: 'undelivered', attempts: 1, errors: 'not a list the old version wrote' },
    ]);

    const store = new SqliteOutboxStore({ filename, table });
    try {
      expect(await store.setup()).toEqual([
        `column history of ${table} (attempt errors of 3 entries converted)`,
        `column ordering_key of ${table}`,
      ]);
      expect(await store.setup()).toEqual([]);

      // The expired lease of the old relay is an interrupted attempt, retried alone.
      const [retried, ...none] = await store.claim({ limit: 10, leaseMs: 60_000, now: new Date(), owner: 'new' });
      expect(none).toEqual([]);
      expect(retried).toMatchObject({ id: 'old-2', attempt: 2, history: [interrupted(1, expect.any(String))] });
      const [next] = await store.claim({ limit: 10, leaseMs: 60_000, now: new Date(), owner: 'new' });
      expect(next).toMatchObject({ id: 'old-1', attempt: 3, history: [failed(1), failed(2)] });
      expect(next!.event).toEqual(orderEvent(1, 'old'));
      const delivered = { attempt: 3, at, durationMs: 5, outcome: 'delivered' } as const;
      expect(await store.settle([{ claimed: next!, attempt: delivered, next: 'delivered' }], new Date())).toEqual([
        true,
      ]);
      expect(await store.getEntry('old-1')).toMatchObject({
        state: 'delivered',
        attempts: 3,
        history: [failed(1), failed(2), delivered],
      });

      expect(await store.getEntry('old-3')).toMatchObject({
        state: 'undelivered',
        attempts: 2,
        history: [failed(1), interrupted(2)],
      });
      expect(await store.getEntry('old-4')).toMatchObject({ state: 'delivered', history: [failed(1)] });
      // What it cannot read stays where it was, and the entry stays usable.
      expect(await store.getEntry('old-5')).toMatchObject({ state: 'undelivered', history: [] });
      expect((await store.listUndelivered()).events.map((entry) => entry.id)).toEqual(['old-3', 'old-5']);
    } finally {
      await store.close();
    }
    expect(rawErrors()).toEqual({
      'old-1': '[]',
      'old-2': '[]',
      'old-3': '[]',
      'old-4': '[]',
      'old-5': 'not a list the old version wrote',
    });
  });

  it('migrates once: a second store object and a reopened file find it done', async () => {
    writeOldFile([{ id: 'old-1', status: 'pending', attempts: 1, errors: JSON.stringify([oldFailure(1)]) }]);
    const first = new SqliteOutboxStore({ filename, table });
    const second = new SqliteOutboxStore({ filename, table });
    try {
      expect(await second.setup()).toEqual([]);
      expect(await first.setup()).toHaveLength(2);
      expect(await second.getEntry('old-1')).toMatchObject({ attempts: 1, history: [failed(1)] });
    } finally {
      await first.close();
      await second.close();
    }
    const reopened = new SqliteOutboxStore({ filename, table });
    try {
      expect(await reopened.setup()).toEqual([]);
      expect(await reopened.getEntry('old-1')).toMatchObject({ history: [failed(1)] });
    } finally {
      await reopened.close();
    }
  });

  it('claims what a producer of the earlier version still inserts after the migration', async () => {
    writeOldFile([]);
    const store = new SqliteOutboxStore({ filename, table });
    try {
      const oldProducer = new Database(filename);
      oldProducer
        .prepare(
          `INSERT INTO ${table} (id, topic, event, attributes, enqueued_at, available_at)
          VALUES ('old-7', NULL, @event, '{}', 0, 0) ON CONFLICT (id) DO NOTHING`,
        )
        .run({ event: writeJson(orderEvent(7, 'old')) });
      oldProducer.close();
      const [claimed] = await store.claim({ limit: 10, leaseMs: 60_000, now: new Date(), owner: 'new' });
      expect(claimed).toMatchObject({ id: 'old-7', attempt: 1, history: [] });
    } finally {
      await store.close();
    }
  });
});
