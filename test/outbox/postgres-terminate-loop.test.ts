import { Client, type PoolClient } from 'pg';
import { describe, expect, it } from 'vitest';
import { isOutboxError, Outbox } from '@events-protocol/outbox';
import { PostgresOutboxStore, type PostgresEnqueueOptions } from '@events-protocol/outbox/postgres';
import type { PublishedEvent } from '@events-protocol/publish';
import { startPostgresServer } from '../support/postgres-server.js';
import { describeChaos, runConnectionChaos } from './connection-chaos.js';

// Every backend of the outbox database is terminated every 50–200 ms (what a restart or a
// failover does to a client) while 10,000 events are enqueued and delivered.

describe('PostgreSQL backends terminated in a loop under a producer and a relay', () => {
  it('loses no event, never crashes, and surfaces every failure as an OutboxError', { timeout: 600_000 }, async () => {
    await using postgres = await startPostgresServer();
    const admin = new Client({ connectionString: postgres.url });
    await admin.connect();
    try {
      await admin.query('CREATE DATABASE chaos');
      const url = postgres.url.replace(/\/postgres$/, '/chaos');
      const producerStore = new PostgresOutboxStore({ pool: url });
      const relayStore = new PostgresOutboxStore({ pool: url });
      await producerStore.setup();
      const producer = new Outbox<PostgresEnqueueOptions>({ store: producerStore });
      let inCallerTransaction = 0;
      const count = 10_000;

      const report = await runConnectionChaos({
        count,
        producer,
        relayStore,
        // Every other batch goes into the caller's own transaction, on a client it checked out.
        enqueueBatch: async (events: PublishedEvent[]) => {
          if (inCallerTransaction++ % 2 === 0) {
            await producer.enqueueMany(events);
            return;
          }
          // A checked-out client is the caller's to listen to (pg's rule for every pool client),
          // from the moment the pool hands it over: in the callback, not a microtask later.
          const callerListener = (): void => undefined;
          const client = await new Promise<PoolClient>((resolve, reject) =>
            producerStore.pool.connect((error, checkedOut) => {
              checkedOut?.on('error', callerListener);
              if (checkedOut === undefined) reject(error ?? new Error('no client'));
              else resolve(checkedOut);
            }),
          );
          let failure: unknown;
          try {
            await client.query('BEGIN');
            await producer.enqueueMany(events, { client });
            await client.query('COMMIT');
          } catch (error) {
            failure = error;
            await client.query('ROLLBACK').catch(() => undefined);
            // The caller's own statements fail with pg's errors: the caller still holds the batch.
            throw isOutboxError(error) ? error : Object.assign(error as Error, { byCaller: true });
          } finally {
            client.off('error', callerListener);
            client.release(failure !== undefined);
          }
        },
        breakConnections: async () => {
          await admin.query(
            `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'chaos' AND pid <> pg_backend_pid()`,
          );
        },
        breakEveryMs: [50, 200],
        seed: 1,
        deliveryDeadlineMs: 240_000,
      });
      await Promise.all([producerStore.close(), relayStore.close()]);
      process.stdout.write(describeChaos('postgres terminate loop', count, report));

      expect(report.processFailures).toEqual([]);
      expect(report.lost).toEqual([]);
      expect(report.relayRunning).toBe(true);
      expect(report.breaks).toBeGreaterThan(10);
      // Failures did happen, and each one the store raised is an outbox error the caller can retry.
      expect(report.enqueueErrors.length + report.relayErrors.length).toBeGreaterThan(0);
      const fromStore = report.enqueueErrors.filter((error) => !(error as { byCaller?: boolean }).byCaller);
      for (const error of [...fromStore, ...report.relayErrors]) {
        expect({ outbox: isOutboxError(error), retryable: (error as { retryable?: unknown }).retryable }).toEqual({
          outbox: true,
          retryable: true,
        });
      }
    } finally {
      await admin.end();
    }
  });
});
