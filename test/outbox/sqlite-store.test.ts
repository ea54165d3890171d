import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteOutboxStore, isOutboxError } from '@events-protocol/outbox';
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

describeStoreContract('SQLite', () =>
  Promise.resolve(new SqliteOutboxStore({ filename: join(directory, `${++files}.db`) })),
);

describe('SqliteOutboxStore', () => {
  it('uses WAL mode and keeps events across reopening the file', async () => {
    const filename = join(directory, 'reopen.db');
    const first = new SqliteOutboxStore({ filename });
    await first.enqueue({ event: orderEvent(1), topic: undefined, attributes: {}, enqueuedAt: new Date() });
    await expect(access(`${filename}-wal`)).resolves.toBeUndefined();
    await first.close();
    const second = new SqliteOutboxStore({ filename });
    expect(await second.pendingCount()).toBe(1);
    await second.close();
  });

  it('ignores an event id enqueued twice', async () => {
    const store = new SqliteOutboxStore({ filename: join(directory, 'twice.db') });
    const entry = { event: orderEvent(1), topic: undefined, attributes: {}, enqueuedAt: new Date() };
    await store.enqueue(entry);
    await store.enqueue(entry);
    expect(await store.pendingCount()).toBe(1);
    await store.close();
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
});
