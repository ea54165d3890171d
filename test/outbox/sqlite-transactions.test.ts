import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Outbox, type OutboxEntry } from '@events-protocol/outbox';
import { SqliteOutboxStore } from '@events-protocol/outbox/sqlite';
import { orderEvent } from './events.js';

// The transactional outbox on SQLite: the caller's own better-sqlite3 connection, with its
// transaction open, writes the entry; the caller's COMMIT or ROLLBACK decides whether a relay
// ever sees it. Checked from a second connection, as another process would see the file.

let directory: string;
let filename: string;
const closers: (() => unknown)[] = [];
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'outbox-sqlite-tx-'));
  filename = join(directory, 'app.db');
});
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  await rm(directory, { recursive: true, force: true });
});

function connection(): Database.Database {
  const database = new Database(filename);
  database.pragma('busy_timeout = 5000');
  database.exec('CREATE TABLE IF NOT EXISTS orders (id TEXT PRIMARY KEY)');
  closers.push(() => database.close());
  return database;
}

function store(options: { database?: Database.Database; busyTimeoutMs?: number } = {}): SqliteOutboxStore {
  const opened = new SqliteOutboxStore(options.database === undefined ? { filename, ...options } : options);
  closers.push(() => opened.close());
  return opened;
}

const entry = (index: number): OutboxEntry => ({
  event: orderEvent(index),
  topic: 'orders',
  attributes: {},
  enqueuedAt: new Date(),
});

/** What a relay on another connection can claim now. */
async function claimable(relay: SqliteOutboxStore): Promise<string[]> {
  const claimed = await relay.claim({ limit: 100, leaseMs: 60_000, now: new Date(), owner: 'relay' });
  return claimed.map((item) => item.id);
}

async function settlesWithin<T>(promise: Promise<T>, ms: number): Promise<boolean> {
  return Promise.race([promise.then(() => true), sleep(ms, false)]);
}

describe.each([
  ['the store’s own connection', (database: Database.Database) => store({ database })],
  ['a separate connection to the store’s file', () => store()],
])('enqueue inside the caller’s transaction on %s', (_name, open) => {
  it('leaves nothing after a ROLLBACK, and makes the entry claimable at COMMIT', async () => {
    const database = connection();
    const outbox = open(database);
    const relay = store(); // its own connection, as a relay process would have

    database.exec('BEGIN IMMEDIATE');
    database.prepare('INSERT INTO orders VALUES (?)').run('rolled-back');
    expect(await outbox.enqueue(entry(1), { database })).toBe(true);
    await sleep(10); // an await inside the caller's transaction, as a request handler has
    database.exec('ROLLBACK');
    expect(await claimable(relay)).toEqual([]);
    expect(await outbox.pendingCount()).toBe(0);

    database.exec('BEGIN IMMEDIATE');
    database.prepare('INSERT INTO orders VALUES (?)').run('committed');
    expect(await outbox.enqueueBatch([entry(2), entry(3)], { database })).toEqual([true, true]);
    await sleep(10);
    database.exec('COMMIT');
    expect(await claimable(relay)).toEqual(['run-2', 'run-3']);
    expect(database.prepare('SELECT id FROM orders').pluck().all()).toEqual(['committed']);
  });

  it('writes synchronously, so it works inside better-sqlite3’s transaction()', async () => {
    const database = connection();
    const outbox = open(database);
    const relay = store();
    let stored: Promise<boolean> | undefined;
    const placeOrder = database.transaction((id: string, fail: boolean) => {
      database.prepare('INSERT INTO orders VALUES (?)').run(id);
      stored = outbox.enqueue({ ...entry(0), id }, { database });
      if (fail) throw new Error('the order was refused');
    });
    expect(() => placeOrder('refused', true)).toThrow('the order was refused');
    expect(await stored).toBe(true); // stored in the transaction that then rolled back
    expect(await claimable(relay)).toEqual([]);
    placeOrder('accepted', false);
    expect(await stored).toBe(true);
    expect(await claimable(relay)).toEqual(['accepted']);
  });

  it('commits at once given a connection with no transaction open', async () => {
    const database = connection();
    const outbox = open(database);
    expect(await outbox.enqueue(entry(1), { database })).toBe(true);
    expect(await outbox.enqueue(entry(1), { database })).toBe(false);
    expect(await claimable(store())).toEqual(['run-1']);
  });
});

describe('a relay beside a caller’s open transaction on SQLite', () => {
  it('claims nothing of a transaction open on the connection it shares, and sees the entry after COMMIT', async () => {
    const database = connection();
    const shared = store({ database });
    database.exec('BEGIN IMMEDIATE');
    expect(await shared.enqueue(entry(1), { database })).toBe(true);
    const claim = shared.claim({ limit: 10, leaseMs: 60_000, now: new Date(), owner: 'relay' });
    // The claim must not join the caller's transaction and publish what a ROLLBACK takes back.
    expect(await settlesWithin(claim, 200)).toBe(false);
    database.exec('ROLLBACK');
    expect(await claim).toEqual([]);

    database.exec('BEGIN IMMEDIATE');
    expect(await shared.enqueue(entry(2), { database })).toBe(true);
    const later = shared.claim({ limit: 10, leaseMs: 60_000, now: new Date(), owner: 'relay' });
    expect(await settlesWithin(later, 200)).toBe(false);
    database.exec('COMMIT');
    expect((await later).map((claimed) => claimed.id)).toEqual(['run-2']);
  });

  it('fails its call with a retryable STORE_BUSY when the shared transaction outlasts the busy timeout', async () => {
    const database = connection();
    const shared = store({ database, busyTimeoutMs: 100 });
    database.exec('BEGIN IMMEDIATE');
    await expect(shared.pendingCount()).rejects.toMatchObject({ code: 'STORE_BUSY', retryable: true });
    database.exec('COMMIT');
    expect(await shared.pendingCount()).toBe(0);
  });

  it('wakes a waiting relay when the caller’s transaction ends, not at the enqueue', async () => {
    const database = connection();
    const relay = store();
    const outbox = store();
    const stop = new AbortController();
    const wait = relay.waitForEntries(60_000, stop.signal);
    try {
      database.exec('BEGIN IMMEDIATE');
      expect(await outbox.enqueue(entry(1), { database })).toBe(true);
      expect(await settlesWithin(wait, 200)).toBe(false);
      database.exec('COMMIT');
      expect(await settlesWithin(wait, 10_000)).toBe(true);
      expect(await claimable(relay)).toEqual(['run-1']);
    } finally {
      stop.abort();
    }
  });
});

describe('transactional enqueue through Outbox on SQLite', () => {
  it('passes the caller’s database through to the store', async () => {
    const database = connection();
    const outbox = new Outbox({ store: store() });
    const relay = store();
    database.exec('BEGIN IMMEDIATE');
    await outbox.enqueue(orderEvent(1), { topic: 'orders', database });
    database.exec('ROLLBACK');
    expect(await claimable(relay)).toEqual([]);
    database.exec('BEGIN IMMEDIATE');
    await outbox.enqueue(orderEvent(2), { topic: 'orders', database });
    database.exec('COMMIT');
    expect(await claimable(relay)).toEqual(['run-2']);
  });

  it('refuses a connection to another database file', async () => {
    const elsewhere = new Database(join(directory, 'elsewhere.db'));
    closers.push(() => elsewhere.close());
    const memory = new Database(':memory:');
    closers.push(() => memory.close());
    const outbox = store();
    await expect(outbox.enqueue(entry(1), { database: elsewhere })).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
    await expect(outbox.enqueue(entry(1), { database: memory })).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
    expect(await outbox.pendingCount()).toBe(0);
  });
});
