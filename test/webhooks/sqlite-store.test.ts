import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createPublishedEvent } from '@events-protocol/publish';
import { isWebhookError } from '@events-protocol/webhooks';
import { SqliteWebhookStore } from '@events-protocol/webhooks/sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeSubscriptionStoreContract, importAlone } from './store-contract.js';

let directory: string;
let files = 0;
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'webhooks-sqlite-'));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describeSubscriptionStoreContract('SQLite', () => {
  const filename = join(directory, `${++files}.db`);
  return Promise.resolve({
    store: new SqliteWebhookStore({ filename }),
    peer: () => Promise.resolve(new SqliteWebhookStore({ filename })),
  });
});

describe('SqliteWebhookStore', () => {
  it('creates its tables in the database, and names them on the first setup only', async () => {
    const store = new SqliteWebhookStore({ filename: join(directory, 'tables.db') });
    const created = await store.setup();
    expect(created).toEqual(
      expect.arrayContaining([
        'table webhook_subscriptions',
        'index webhook_subscriptions_target',
        'index webhook_subscriptions_type',
      ]),
    );
    expect(created.some((name) => name.includes('webhook_deliveries'))).toBe(true);
    expect(await store.setup()).toEqual([]);
    const tables = store.database
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .pluck()
      .all() as string[];
    expect(tables).toEqual(expect.arrayContaining(['webhook_deliveries', 'webhook_subscriptions']));
    await store.close();
    expect(store.database.open).toBe(false);
  });

  it('enqueues a delivery in the caller’s transaction on the same database', async () => {
    const store = new SqliteWebhookStore({ filename: join(directory, 'transaction.db') });
    try {
      await store.setup();
      const database = store.database;
      database.exec('CREATE TABLE orders (id TEXT PRIMARY KEY)');
      const event = createPublishedEvent({ name: 'order:placed', payload: { orderId: 'o-1' } });
      const entry = { id: `s:${event.id}`, event, topic: undefined, attributes: {}, enqueuedAt: new Date() };
      database.exec('BEGIN');
      database.prepare("INSERT INTO orders VALUES ('rolled-back')").run();
      expect(await store.deliveries.enqueue(entry, { database })).toBe(true);
      database.exec('ROLLBACK');
      expect(await store.deliveries.pendingCount()).toBe(0);
      database.exec('BEGIN');
      database.prepare("INSERT INTO orders VALUES ('committed')").run();
      expect(await store.deliveries.enqueue(entry, { database })).toBe(true);
      database.exec('COMMIT');
      expect(await store.deliveries.pendingCount()).toBe(1);
    } finally {
      await store.close();
    }
  });

  it('leaves a database passed in open, and uses the table names given', async () => {
    const database = new Database(join(directory, 'given.db'));
    const store = new SqliteWebhookStore(
      { database },
      { subscriptionsTable: 'hooks_subs', deliveriesTable: 'hooks_out' },
    );
    await store.setup();
    await store.close();
    expect(database.open).toBe(true);
    const tables = database.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
    expect(tables).toEqual(expect.arrayContaining(['hooks_subs', 'hooks_out']));
    expect(tables).not.toContain('webhook_subscriptions');
    database.close();
  });

  it('refuses a table name that is not a plain identifier', () => {
    let error: unknown;
    try {
      new SqliteWebhookStore({ filename: ':memory:' }, { subscriptionsTable: 'subs; DROP TABLE x' });
    } catch (caught) {
      error = caught;
    }
    expect(isWebhookError(error) && error.code).toBe('INVALID_OPTIONS');
  });

  it('keeps subscriptions stored by the earlier store, and refuses its deliveries table with advice', async () => {
    const filename = join(directory, 'earlier.db');
    const database = new Database(filename);
    database.exec(`
      CREATE TABLE webhook_subscriptions (id TEXT PRIMARY KEY, event_type TEXT NOT NULL, document TEXT NOT NULL,
        active INTEGER NOT NULL, target_url TEXT);
      CREATE UNIQUE INDEX webhook_subscriptions_target ON webhook_subscriptions (event_type, target_url);
      CREATE TABLE webhook_deliveries (id INTEGER PRIMARY KEY AUTOINCREMENT, subscription_id TEXT NOT NULL,
        event_id TEXT NOT NULL);`);
    const kept = { id: 'old', eventType: 'order:placed', targetUrl: 'https://hooks.example.com/', active: true };
    database
      .prepare('INSERT INTO webhook_subscriptions VALUES (?, ?, ?, 1, ?)')
      .run(kept.id, kept.eventType, JSON.stringify(kept), kept.targetUrl);
    database.close();
    let error: unknown;
    try {
      new SqliteWebhookStore({ filename });
    } catch (caught) {
      error = caught;
    }
    expect(isWebhookError(error) && error.code).toBe('INVALID_OPTIONS');
    expect((error as Error).message).toMatch(/earlier version/);
    const store = new SqliteWebhookStore({ filename }, { deliveriesTable: 'webhook_outbox' });
    expect(await store.subscriptions.activeSubscriptionsFor('order:placed')).toEqual([kept]);
    await store.close();
  });

  it('refuses to open a table holding duplicate subscriptions from before the unique index, naming them', () => {
    const database = new Database(':memory:');
    database.exec(`CREATE TABLE webhook_subscriptions (id TEXT PRIMARY KEY, event_type TEXT NOT NULL,
      document TEXT NOT NULL, active INTEGER NOT NULL, target_url TEXT)`);
    const insert = database.prepare("INSERT INTO webhook_subscriptions VALUES (?, 'a', '{}', 1, 'https://x/')");
    insert.run('one');
    insert.run('two');
    let error: unknown;
    try {
      new SqliteWebhookStore({ database });
    } catch (caught) {
      error = caught;
    }
    expect(isWebhookError(error) && error.code).toBe('SUBSCRIPTION_EXISTS');
    expect((error as Error).message).toContain('one, two');
    database.close();
  });

  it('loads better-sqlite3 and no other database driver', async () => {
    expect(await importAlone('@events-protocol/webhooks/sqlite')).toEqual({
      exports: ['SqliteSubscriptionStore', 'SqliteWebhookStore'],
      drivers: ['better-sqlite3'],
    });
  });
});
