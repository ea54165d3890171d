import { PostgresWebhookStore } from '@events-protocol/webhooks/postgres';
import { SqliteWebhookStore } from '@events-protocol/webhooks/sqlite';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgresServer, type PostgresServer } from '../support/postgres-server.js';
import { storeFile } from './harness.js';

// A database set up by a version without endpoint health: its subscriptions table as that version
// made it, one subscription in it. Setting up adds the health table and keeps the subscription.

const secret = `whsec_${Buffer.alloc(32, 3).toString('base64')}`;
const at = '2026-01-01T00:00:00.000Z';
const earlier = {
  id: 'from-before',
  eventType: 'order:placed',
  targetUrl: 'https://hooks.example.com/before',
  secret,
  active: true,
  retry: { schedule: 'fixed', options: { delayMs: 50, maxAttempts: 3 } },
  createdAt: at,
  updatedAt: at,
};

describe('endpoint health added to a database of an earlier version', () => {
  let postgres: PostgresServer;
  beforeAll(async () => {
    postgres = await startPostgresServer();
  });
  afterAll(async () => {
    await postgres.stop();
  });

  it('on SQLite: the health table is created beside the kept subscriptions', async () => {
    const file = await storeFile();
    try {
      const database = new Database(file.filename);
      database.exec(
        `CREATE TABLE webhook_subscriptions (id TEXT PRIMARY KEY, event_type TEXT NOT NULL, document TEXT NOT NULL,
         active INTEGER NOT NULL, target_url TEXT NOT NULL)`,
      );
      database
        .prepare('INSERT INTO webhook_subscriptions VALUES (?, ?, ?, 1, ?)')
        .run(earlier.id, earlier.eventType, JSON.stringify(earlier), earlier.targetUrl);
      database.close();
      const store = new SqliteWebhookStore({ filename: file.filename });
      try {
        expect(await store.setup()).toContain('table webhook_subscriptions_health');
        expect(await store.subscriptions.listSubscriptions()).toEqual([earlier]);
        expect(
          await store.subscriptions.recordAttemptOutcome(earlier.id, { delivered: false, at: new Date(at) }),
        ).toMatchObject({ consecutiveFailures: 1, failed: 1 });
        expect(await store.setup()).toEqual([]);
      } finally {
        await store.close();
      }
    } finally {
      await file.cleanup();
    }
  });

  it('on PostgreSQL: setup adds the health table once, keeping the subscriptions', async () => {
    const client = new pg.Client({ connectionString: postgres.url });
    await client.connect();
    try {
      await client.query(`CREATE TABLE old_subscriptions (
        id TEXT PRIMARY KEY, seq BIGINT GENERATED ALWAYS AS IDENTITY, event_type TEXT NOT NULL,
        target_url TEXT NOT NULL, active BOOLEAN NOT NULL, document JSONB NOT NULL)`);
      await client.query(
        'INSERT INTO old_subscriptions (id, event_type, target_url, active, document) VALUES ($1, $2, $3, true, $4)',
        [earlier.id, earlier.eventType, earlier.targetUrl, JSON.stringify(earlier)],
      );
    } finally {
      await client.end();
    }
    const stores = [0, 1].map(
      () =>
        new PostgresWebhookStore(postgres.url, {
          subscriptionsTable: 'old_subscriptions',
          deliveriesTable: 'old_deliveries',
        }),
    );
    try {
      const created = (await Promise.all(stores.map((store) => store.subscriptions.setup()))).flat();
      expect(created.filter((name) => name === 'table old_subscriptions_health')).toHaveLength(1);
      expect(created).not.toContain('table old_subscriptions');
      expect(await stores[0]!.subscriptions.listSubscriptions()).toEqual([earlier]);
      expect(
        await stores[1]!.subscriptions.recordAttemptOutcome(earlier.id, { delivered: true, at: new Date(at) }),
      ).toMatchObject({ delivered: 1, lastDeliveredAt: at });
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  });
});
