import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startPostgresServer } from '../support/postgres-server.js';
import { startRedisServer } from '../support/redis-server.js';
import type { CrashStoreConfig } from './children/crash-store.js';
import { runWebhookCrash } from './crash-run.js';

/** Runs the scenario on one store and checks what every store must give: nothing lost, ids stable. */
async function crashOn(store: CrashStoreConfig): Promise<void> {
  const result = await runWebhookCrash({ store, events: 300, subscriptions: 3, relays: 2, kills: 8 });
  expect(result.lost).toEqual([]);
  expect(result.badSignatures).toBe(0);
  // A duplicate is the same delivery again: the same webhook-id, the event's id.
  expect(result.foreignIds).toBe(0);
  expect(result.pendingAtEnd).toBe(0);
  expect(result.undeliveredAtEnd).toBe(0);
  // The kills must have hit the flow, not idle relays, and the receiver must have failed some.
  expect(result.killedAt.some((accepted) => accepted > 0 && accepted < result.expected)).toBe(true);
  expect(result.refused + result.resets).toBeGreaterThan(0);
}

describe('webhook deliveries when dispatcher processes are killed with SIGKILL', () => {
  it('loses nothing on SQLite', { timeout: 300_000 }, async () => {
    const directory = await mkdtemp(join(tmpdir(), 'webhooks-crash-'));
    try {
      await crashOn({ kind: 'sqlite', filename: join(directory, 'webhooks.db') });
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('loses nothing on PostgreSQL', { timeout: 300_000 }, async () => {
    await using postgres = await startPostgresServer();
    await crashOn({ kind: 'postgres', url: postgres.url });
  });

  it('loses nothing on Redis', { timeout: 300_000 }, async () => {
    await using redis = await startRedisServer();
    await crashOn({ kind: 'redis', url: redis.url, prefix: 'crash' });
  });
});
