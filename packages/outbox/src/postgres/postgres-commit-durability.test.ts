import { createPublishedEvent } from '@events-protocol/publish';
import type { PoolClient } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgresServer, type PostgresServer } from '../../../../test/support/postgres-server.js';
import { Outbox } from '../outbox.js';
import { leaseExpired } from '../stored-record.js';
import { PostgresOutboxStore } from './postgres-outbox-store.js';
import { postgresStatements } from './postgres-statements.js';

// PostgreSQL reads `synchronous_commit` when a transaction commits: what a statement leaves it at
// inside a transaction is what its commit does. Each statement runs here inside BEGIN … ROLLBACK
// on a real server, and the setting is read before the ROLLBACK.

let postgres: PostgresServer;
beforeAll(async () => {
  // Durable, as production runs it: synchronous commits on by default.
  postgres = await startPostgresServer({ durable: true });
});
afterAll(async () => {
  await postgres.stop();
});

const event = () => createPublishedEvent({ name: 'order:placed', payload: { orderId: 7 } });

async function commitSetting(client: PoolClient): Promise<string | undefined> {
  const { rows } = await client.query<{ setting: string }>("SELECT current_setting('synchronous_commit') AS setting");
  return rows[0]?.setting;
}

async function inRolledBackTransaction<T>(client: PoolClient, work: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    return await work();
  } finally {
    await client.query('ROLLBACK');
  }
}

describe('the commits of the PostgreSQL store', () => {
  it('claims without waiting for the WAL flush, and settles and enqueues durably', async () => {
    const table = 'durability_outbox';
    const store = new PostgresOutboxStore({ pool: postgres.url, table });
    const outbox = new Outbox({ store });
    await store.setup();
    const client = await store.pool.connect();
    try {
      await outbox.enqueue(event(), { topic: 'orders' });
      const sql = postgresStatements(table);
      const now = new Date();
      const claimed = await inRolledBackTransaction(client, async () => {
        const { rows } = await client.query(sql.claim, [
          now,
          10,
          'relay/lease',
          new Date(now.getTime() + 60_000),
          10,
          JSON.stringify(leaseExpired),
        ]);
        expect(await commitSetting(client)).toBe('off');
        return rows.length;
      });
      expect(claimed).toBe(1);

      await inRolledBackTransaction(client, async () => {
        await client.query(sql.settle, ['[]', now]);
        expect(await commitSetting(client)).toBe('on');
      });

      // An enqueue in the caller's transaction leaves that transaction as durable as it was.
      await inRolledBackTransaction(client, async () => {
        await outbox.enqueue(event(), { topic: 'orders', client });
        expect(await commitSetting(client)).toBe('on');
      });

      // Through the store, the claim commits and holds: the entry is leased, and not claimed twice.
      const first = await store.claim({ limit: 10, leaseMs: 60_000, now: new Date(), owner: 'relay' });
      expect(first).toHaveLength(1);
      expect(await store.claim({ limit: 10, leaseMs: 60_000, now: new Date(), owner: 'other' })).toEqual([]);
    } finally {
      client.release();
      await store.close();
    }
  });
});
