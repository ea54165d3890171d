import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { OutboxEntry } from '@events-protocol/outbox';
import { PostgresOutboxStore } from '@events-protocol/outbox/postgres';
import { startPostgresServer } from '../support/postgres-server.js';
import { orderEvent } from './events.js';

const entry = (index: number, orderingKey?: string): OutboxEntry => ({
  event: orderEvent(index),
  topic: undefined,
  attributes: {},
  enqueuedAt: new Date(),
  ...(orderingKey === undefined ? {} : { orderingKey }),
});

async function advisoryWaiter(observer: pg.Client): Promise<'waiting'> {
  for (;;) {
    const { rows } = await observer.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`,
    );
    if ((rows[0]?.n ?? 0) > 0) return 'waiting';
    await sleep(10);
  }
}

describe('PostgreSQL enqueues of one ordering key', () => {
  it('wait for an open transaction holding an earlier entry of the key, so the key commits in order', async () => {
    await using server = await startPostgresServer();
    const store = new PostgresOutboxStore({ pool: server.url, table: 'ordering_locks' });
    const caller = new pg.Client(server.url);
    const observer = new pg.Client(server.url);
    await Promise.all([caller.connect(), observer.connect()]);
    try {
      await store.setup();
      await caller.query('BEGIN');
      expect(await store.enqueue(entry(1, 'key-a'), { client: caller })).toBe(true);
      // Other keys and unkeyed entries do not wait for the caller's transaction.
      expect(await store.enqueue(entry(2))).toBe(true);
      expect(await store.enqueue(entry(3, 'key-b'))).toBe(true);
      const second = store.enqueue(entry(4, 'key-a'));
      expect(await Promise.race([second.then(() => 'stored' as const), advisoryWaiter(observer)])).toBe('waiting');
      await caller.query('COMMIT');
      expect(await second).toBe(true);
      const { rows } = await observer.query<{ id: string }>(
        `SELECT id FROM ordering_locks WHERE ordering_key = 'key-a' ORDER BY seq`,
      );
      expect(rows.map((row) => row.id)).toEqual(['run-1', 'run-4']);
      const claims = await store.claim({ limit: 10, leaseMs: 60_000, now: new Date(), owner: 'relay' });
      expect(claims.map((claimed) => claimed.id).sort()).toEqual(['run-1', 'run-2', 'run-3']);
    } finally {
      await caller.end();
      await observer.end();
      await store.close();
    }
  });
});
