import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgresServer, type PostgresServer } from '../support/postgres-server.js';
import { freePort } from '../support/free-port.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { runBuiltCli } from './run-built-cli.js';

// The built CLI, as an operator runs it. Each case says what is wrong with the store in words to
// act on, exits non-zero, and never shows a password from --store.

describe('events outbox with a store that is not there', () => {
  let directory: string;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'events-cli-missing-'));
  });
  afterAll(() => rm(directory, { recursive: true, force: true }));

  it('refuses a SQLite file that does not exist, names the path and creates nothing', async () => {
    const file = join(directory, 'typo.db');
    for (const command of [
      ['list'],
      ['pending'],
      ['inspect', 'some-id'],
      ['redeliver', '--all'],
      ['delete', '--all'],
    ]) {
      const result = await runBuiltCli(['outbox', ...command, '--store', `sqlite:${file}`]);
      expect(result.code, command.join(' ')).toBe(2);
      expect(result.stderr).toContain(`no SQLite outbox at ${file}: the file does not exist`);
      expect(result.stdout).not.toContain('no undelivered events');
    }
    const bare = await runBuiltCli(['outbox', 'list', '--store', join(directory, 'other.sqlite')]);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('other.sqlite: the file does not exist');
    expect(existsSync(file)).toBe(false);
    expect(existsSync(join(directory, 'other.sqlite'))).toBe(false);
  });

  it('says a closed port refused the connection, for Redis and for PostgreSQL', async () => {
    const port = await freePort();
    const redis = await runBuiltCli(['outbox', 'pending', '--store', `redis://127.0.0.1:${port}`]);
    expect(redis.code).toBe(1);
    expect(redis.stderr).toContain(
      `cannot reach the store at redis://127.0.0.1:${port}: connection refused (ECONNREFUSED)`,
    );
    const postgres = await runBuiltCli(['outbox', 'list', '--store', `postgres://app:hunter2@127.0.0.1:${port}/app`]);
    expect(postgres.code).toBe(1);
    expect(postgres.stderr).toContain(
      `cannot reach the store at postgres://app:***@127.0.0.1:${port}/app: connection refused (ECONNREFUSED)`,
    );
    expect(postgres.stderr).not.toContain('hunter2');
  });
});

describe('events outbox with a Redis that requires a password', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedisServer({ password: 'right-password' });
  });
  afterAll(() => redis.stop());

  it('says Redis refused the credentials when the password is missing or wrong, and works with the right one', async () => {
    const none = await runBuiltCli(['outbox', 'pending', '--store', `redis://127.0.0.1:${redis.port}`]);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain(`the store at redis://127.0.0.1:${redis.port} refused the credentials: NOAUTH`);

    const wrong = await runBuiltCli(['outbox', 'list', '--store', `redis://:wrong-password@127.0.0.1:${redis.port}`]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain(
      `the store at redis://:***@127.0.0.1:${redis.port} refused the credentials: WRONGPASS`,
    );
    expect(wrong.stderr).not.toContain('wrong-password');

    const right = await runBuiltCli(['outbox', 'pending', '--store', redis.url]);
    expect(right).toMatchObject({ code: 0, stdout: '0\n' });
  });
});

describe('events outbox with a PostgreSQL role that has a password', () => {
  let postgres: PostgresServer;
  beforeAll(async () => {
    postgres = await startPostgresServer({ password: 'right-password' });
  });
  afterAll(() => postgres.stop());

  it('says PostgreSQL refused the credentials (28P01) for a wrong password or an unknown role', async () => {
    const wrong = await runBuiltCli([
      'outbox',
      'list',
      '--store',
      `postgres://postgres:wrong-password@127.0.0.1:${postgres.port}/postgres`,
    ]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain(
      `the store at postgres://postgres:***@127.0.0.1:${postgres.port}/postgres refused the credentials: 28P01: password authentication failed for user "postgres"`,
    );
    expect(wrong.stderr).not.toContain('wrong-password');

    const stranger = await runBuiltCli([
      'outbox',
      'pending',
      '--store',
      `postgres://nobody:guess@127.0.0.1:${postgres.port}/postgres`,
    ]);
    expect(stranger.code).toBe(1);
    expect(stranger.stderr).toContain('refused the credentials: 28P01');

    const right = await runBuiltCli(['outbox', 'pending', '--store', postgres.url]);
    expect(right).toMatchObject({ code: 0, stdout: '0\n' });
  });
});
