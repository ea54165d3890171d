import { access, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isOutboxError } from '@events-protocol/outbox';
import { SqliteOutboxStore } from '@events-protocol/outbox/sqlite';
import { describeStoreContract } from './store-contract.js';
import { orderEvent } from './events.js';

let directory: string;
let files = 0;
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'outbox-sqlite-'));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

const filenames = new WeakMap<object, string>();

function openFile(filename: string): SqliteOutboxStore {
  const store = new SqliteOutboxStore({ filename });
  filenames.set(store, filename);
  return store;
}

describeStoreContract('SQLite', () => Promise.resolve(openFile(join(directory, `${++files}.db`))), {
  openBeside: (store) => Promise.resolve(openFile(filenames.get(store)!)),
  // Every store object on one file in this process hears the others' enqueues.
  crossConnectionWakeUps: true,
});

describeStoreContract('SQLite on a database passed in, synchronous normal', () =>
  Promise.resolve(new SqliteOutboxStore({ database: new Database(':memory:'), synchronous: 'normal' })),
);

const entry = (index: number) => ({
  event: orderEvent(index),
  topic: undefined,
  attributes: {},
  enqueuedAt: new Date(),
});

describe('SqliteOutboxStore', () => {
  it('uses WAL mode and keeps events across reopening the file', async () => {
    const filename = join(directory, 'reopen.db');
    const first = new SqliteOutboxStore({ filename });
    expect(await first.enqueue(entry(1))).toBe(true);
    await expect(access(`${filename}-wal`)).resolves.toBeUndefined();
    await first.close();
    const second = new SqliteOutboxStore({ filename });
    expect(await second.pendingCount()).toBe(1);
    expect(await second.setup()).toEqual([]);
    await second.close();
  });

  it('says what it created when it opens a new file, once', async () => {
    const filename = join(directory, 'created.db');
    const store = new SqliteOutboxStore({ filename, table: 'deliveries' });
    expect(await store.setup()).toEqual([`table deliveries in ${filename}`]);
    expect(await store.setup()).toEqual([]);
    await store.close();
  });

  it('wakes a relay of the same file opened under another path', async () => {
    const filename = join(directory, 'linked.db');
    const link = join(directory, 'link.db');
    const relay = new SqliteOutboxStore({ filename });
    await symlink(filename, link);
    const producer = new SqliteOutboxStore({ filename: link });
    try {
      const woken = relay.waitForEntries(60_000, new AbortController().signal).then(() => 'woken');
      expect(await producer.enqueue(entry(1))).toBe(true);
      expect(await Promise.race([woken, new Promise((resolve) => setTimeout(resolve, 10_000, 'timed out'))])).toBe(
        'woken',
      );
    } finally {
      await producer.close();
      await relay.close();
    }
  });

  it('settles a batch in one transaction: a settlement that cannot be written leaves the whole batch unchanged', async () => {
    const store = new SqliteOutboxStore({ filename: join(directory, 'settle-batch.db') });
    try {
      expect(await store.enqueueBatch([entry(1), entry(2), entry(3)])).toEqual([true, true, true]);
      const claimed = await store.claim({ limit: 10, leaseMs: 60_000, now: new Date(), owner: 'relay' });
      const now = new Date();
      const delivered = (attempt: number) => ({
        attempt,
        at: now.toISOString(),
        durationMs: 3,
        outcome: 'delivered' as const,
      });
      const unwritable = { ...delivered(1), status: 10n as unknown as number }; // JSON cannot hold a bigint
      const settlements = claimed.map((claim, index) => ({
        claimed: claim,
        attempt: index === 2 ? unwritable : delivered(1),
        next: 'delivered' as const,
      }));
      await expect(store.settle(settlements, now)).rejects.toThrow();
      const entries = await Promise.all(['run-1', 'run-2', 'run-3'].map((id) => store.getEntry(id)));
      expect(entries.map((stored) => [stored?.state, stored?.claimed])).toEqual([
        ['pending', true],
        ['pending', true],
        ['pending', true],
      ]);
      settlements[2] = { ...settlements[2]!, attempt: delivered(1) };
      expect(await store.settle(settlements, now)).toEqual([true, true, true]);
      expect(await store.pendingCount()).toBe(0);
    } finally {
      await store.close();
    }
  });

  it('refuses a table name that is not an identifier', () => {
    const open = (): SqliteOutboxStore => new SqliteOutboxStore({ filename: ':memory:', table: 'x; DROP TABLE y' });
    expect(open).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
    try {
      open();
    } catch (error) {
      expect(isOutboxError(error)).toBe(true);
    }
  });

  it('fails a call after close with CLOSED, and reports itself unhealthy', async () => {
    const store = new SqliteOutboxStore({ filename: join(directory, 'closed.db') });
    await store.close();
    await expect(store.pendingCount()).rejects.toMatchObject({ name: 'OutboxError', code: 'CLOSED' });
    await expect(store.enqueue(entry(1))).rejects.toMatchObject({ code: 'CLOSED' });
    expect(await store.healthCheck()).toBe(false);
  });

  it('leaves a database passed in open, and refuses to use it after close', async () => {
    const database = new Database(':memory:');
    const store = new SqliteOutboxStore({ database });
    await store.close();
    expect(database.open).toBe(true);
    await expect(store.pendingCount()).rejects.toMatchObject({ code: 'CLOSED' });
    await expect(store.enqueue(entry(1), { database })).rejects.toMatchObject({ code: 'CLOSED' });
    expect(await store.healthCheck()).toBe(false);
    database.close();
  });
});
