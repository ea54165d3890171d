import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { describe, expect, it } from 'vitest';
import { isOutboxError, Outbox } from '@events-protocol/outbox';
import { PostgresOutboxStore } from '@events-protocol/outbox/postgres';
import { freePort } from '../support/free-port.js';
import { orderEvent } from './events.js';
import { everyStoreCall } from './every-store-call.js';
import { recordProcessFailures } from './process-failures.js';
import { postgresWithAdmin } from './postgres-with-admin.js';

// A backend terminated in the middle of a store call (a restart, a failover, an operator's
// pg_terminate_backend) is an error for that call, never an unhandled 'error' event on a client.

const postgres = postgresWithAdmin();
let tables = 0;

const batch = (run: string, count = 20) => Array.from({ length: count }, (_, index) => orderEvent(index, run));

/**
 * Holds a lock on `table`, starts `work`, and terminates the backend that waits for that lock (the
 * batch's INSERT): the connection is lost while the store is in the middle of its batch.
 * Resolves to what `work` rejected with.
 */
async function loseConnectionDuring(table: string, work: () => Promise<unknown>): Promise<unknown> {
  await postgres.admin.query('BEGIN');
  await postgres.admin.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
  const settled = work().then(
    () => new Error('the batch was stored although its connection was terminated'),
    (error: unknown) => error,
  );
  try {
    for (let waited = 0; ; waited += 10) {
      const { rows } = await postgres.admin.query<{ pid: number }>(
        'SELECT pid FROM pg_locks WHERE relation = $1::regclass AND NOT granted',
        [table],
      );
      if (rows.length > 0) {
        for (const { pid } of rows) await postgres.admin.query('SELECT pg_terminate_backend($1)', [pid]);
        break;
      }
      if (waited > 10_000) throw new Error('the batch never waited on the lock');
      await sleep(10);
    }
  } finally {
    await postgres.admin.query('ROLLBACK');
  }
  const error = await settled;
  // pg reports the lost connection as 'error' events after the failed query: let them arrive.
  await sleep(200);
  return error;
}

function expectLostConnection(error: unknown): void {
  expect(isOutboxError(error)).toBe(true);
  expect(error).toMatchObject({ code: 'ENQUEUE_FAILED', retryable: true });
  const cause = (error as Error).cause;
  expect(isOutboxError(cause)).toBe(true);
  expect(cause).toMatchObject({ code: 'STORE_UNAVAILABLE', retryable: true });
  // The driver's own error stays reachable: 57P01 is admin_shutdown, the code of pg_terminate_backend.
  expect(JSON.stringify((cause as Error).cause, ['code', 'message'])).toMatch(/57P01|terminat/i);
}

function openStore(): { store: PostgresOutboxStore; table: string } {
  const table = `lost_${++tables}`;
  return { store: new PostgresOutboxStore({ pool: postgres.url, table }), table };
}

describe('a PostgreSQL connection lost during enqueueMany', () => {
  it('rejects the call when the caller’s own pg.Client is terminated, and the process survives', async () => {
    using failures = recordProcessFailures();
    const { store, table } = openStore();
    await store.setup();
    const outbox = new Outbox({ store });
    // The caller's client, with no 'error' listener of its own: the store must not crash the process.
    const client = new Client({ connectionString: postgres.url });
    await client.connect();
    await client.query('BEGIN');
    expectLostConnection(await loseConnectionDuring(table, () => outbox.enqueueMany(batch('own-client'), { client })));
    expect(failures.recorded).toEqual([]);

    // The caller retries on a fresh connection, and the store still works.
    const retry = new Client({ connectionString: postgres.url });
    await retry.connect();
    await retry.query('BEGIN');
    await outbox.enqueueMany(batch('own-client'), { client: retry });
    await retry.query('COMMIT');
    await retry.end();
    expect(await outbox.pendingCount()).toBe(20);
    await store.close();
  });

  it('rejects the call when a client the caller checked out of a pool is terminated', async () => {
    using failures = recordProcessFailures();
    const { store, table } = openStore();
    await store.setup();
    const outbox = new Outbox({ store });
    const client = await store.pool.connect();
    await client.query('BEGIN');
    expectLostConnection(await loseConnectionDuring(table, () => outbox.enqueueMany(batch('pool-client'), { client })));
    client.release(true);
    expect(failures.recorded).toEqual([]);
    await outbox.enqueueMany(batch('pool-client'));
    expect(await outbox.pendingCount()).toBe(20);
    await store.close();
  });

  it('rejects the call when the store’s own pooled client is terminated; the next call reconnects', async () => {
    using failures = recordProcessFailures();
    const { store, table } = openStore();
    await store.setup();
    const outbox = new Outbox({ store });
    expectLostConnection(await loseConnectionDuring(table, () => outbox.enqueueMany(batch('store-client'))));
    expect(failures.recorded).toEqual([]);
    expect(await outbox.pendingCount()).toBe(0); // the batch rolled back with the connection
    await outbox.enqueueMany(batch('store-client'));
    expect(await outbox.pendingCount()).toBe(20);
    await store.close();
  });

  it('leaves a caller’s client it used, successfully or not, without a listener of the store', async () => {
    const { store } = openStore();
    const client = new Client({ connectionString: postgres.url });
    await client.connect();
    try {
      const before = client.listenerCount('error');
      const entries = batch('listeners').map((event) => ({
        event,
        topic: undefined,
        attributes: {},
        enqueuedAt: new Date(),
      }));
      await client.query('BEGIN');
      await store.enqueueBatch(entries, { client });
      await store.enqueue({ ...entries[0]!, event: orderEvent(99, 'listeners') }, { client });
      await client.query('COMMIT');
      expect(client.listenerCount('error')).toBe(before);
      // A failure that is not a lost connection (a transaction the caller's own statement
      // aborted) is the driver's error, unchanged, and leaves no listener behind either.
      await client.query('BEGIN');
      await expect(client.query('SELECT 1/0')).rejects.toMatchObject({ code: '22012' });
      await expect(store.enqueueBatch(entries, { client })).rejects.toMatchObject({ code: '25P02' });
      await client.query('ROLLBACK');
      expect(client.listenerCount('error')).toBe(before);
    } finally {
      await client.end();
      await store.close();
    }
  });
});

describe('a PostgreSQL server that cannot be reached', () => {
  it('fails every store call with STORE_UNAVAILABLE and the driver error as cause', async () => {
    using failures = recordProcessFailures();
    const port = await freePort();
    const store = new PostgresOutboxStore({ pool: `postgres://postgres@127.0.0.1:${port}/postgres` });
    const calls = everyStoreCall(store, 'lease');
    for (const [name, call] of Object.entries(calls)) {
      const failure = await call().then(
        () => new Error(`${name} resolved`),
        (rejected: unknown) => rejected,
      );
      expect({ name, outbox: isOutboxError(failure) }).toEqual({ name, outbox: true });
      expect(failure).toMatchObject({ code: 'STORE_UNAVAILABLE', retryable: true });
      expect((failure as Error).cause).toMatchObject({ code: 'ECONNREFUSED' });
    }
    expect(await store.healthCheck()).toBe(false);
    expect(failures.recorded).toEqual([]);
    await store.close();
  });
});
