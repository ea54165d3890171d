import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, it } from 'vitest';
import { PostgresOutboxStore } from '@events-protocol/outbox/postgres';
import { RedisOutboxStore } from '@events-protocol/outbox/redis';
import { SqliteOutboxStore } from '@events-protocol/outbox/sqlite';
import { startPostgresServer } from '../support/postgres-server.js';
import { startRedisServer } from '../support/redis-server.js';
import { killChildren, runCrashScenario } from './crash-scenario.js';

// Producer and relay run as child processes; the relay is killed with SIGKILL at random points.
// The limits end a hung run; a loaded machine takes minutes (one fsync per enqueue on SQLite).
afterEach(killChildren);

const count = 2000;
const kills = 5;

describe('the outbox under kill -9', () => {
  it('delivers every event from SQLite at least once', { timeout: 240_000 }, async () => {
    const directory = await mkdtemp(join(tmpdir(), 'outbox-crash-'));
    try {
      const filename = join(directory, 'outbox.db');
      await runCrashScenario({
        store: { kind: 'sqlite', filename },
        open: () => new SqliteOutboxStore({ filename }),
        count,
        kills,
      });
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('delivers every event from Redis Streams at least once', { timeout: 240_000 }, async () => {
    await using redis = await startRedisServer();
    await runCrashScenario({
      store: { kind: 'redis', url: redis.url, prefix: 'crash' },
      open: () => new RedisOutboxStore({ redis: redis.url, prefix: 'crash' }),
      count,
      kills,
    });
  });

  it('delivers every event from PostgreSQL at least once', { timeout: 240_000 }, async () => {
    await using postgres = await startPostgresServer();
    await runCrashScenario({
      store: { kind: 'postgres', url: postgres.url, table: 'crash_outbox' },
      open: () => new PostgresOutboxStore({ pool: postgres.url, table: 'crash_outbox' }),
      count,
      kills,
    });
  });
});
