import { Outbox, type OutboxStore } from '@events-protocol/outbox';
import { PostgresOutboxStore } from '@events-protocol/outbox/postgres';
import { RedisOutboxStore } from '@events-protocol/outbox/redis';
import { SqliteOutboxStore } from '@events-protocol/outbox/sqlite';
import { createPublishedEvent, RecordingSink, type Sink } from '@events-protocol/publish';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgresServer, type PostgresServer } from '../support/postgres-server.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { runCliInProcess } from './run-cli-in-process.js';

const refusingSink: Sink = {
  name: 'refusing',
  publish: () => Promise.reject(Object.assign(new Error('receiver answered 503'), { code: 'REJECTED' })),
  healthCheck: () => Promise.resolve(true),
};

/** Enqueues events and runs a relay that fails every delivery once, for good: they become undelivered. */
async function undeliver(store: OutboxStore, topics: readonly string[]): Promise<string[]> {
  const outbox = new Outbox({ store });
  const ids: string[] = [];
  for (const [index, topic] of topics.entries()) {
    const event = createPublishedEvent({ name: 'order:placed', payload: { index } });
    ids.push(event.id);
    await outbox.enqueue(event, { topic });
  }
  const relay = outbox.relay({
    sink: refusingSink,
    schedule: { schedule: 'fixed', options: { delayMs: 1, maxAttempts: 1 } },
  });
  await relay.runOnce();
  return ids;
}

async function deliverAll(store: OutboxStore): Promise<RecordingSink> {
  const sink = new RecordingSink();
  const relay = new Outbox({ store }).relay({ sink });
  await relay.runOnce();
  return sink;
}

describe('events outbox on SQLite', () => {
  let directory: string;
  let files = 0;
  const newFile = () => join(directory, `outbox-${++files}.db`);
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'events-outbox-cli-'));
  });
  afterAll(() => rm(directory, { recursive: true, force: true }));

  it('lists undelivered events, redelivers some by id and the rest by topic, and purges delivered ones', async () => {
    const file = newFile();
    const store = new SqliteOutboxStore({ filename: file });
    const ids = await undeliver(store, ['orders', 'orders', 'billing']);

    const listed = await runCliInProcess(['outbox', 'list', '--store', `sqlite:${file}`]);
    expect(listed.code).toBe(0);
    for (const id of ids) expect(listed.out).toContain(id);
    expect(listed.out).toContain('REJECTED: receiver answered 503');
    expect(listed.out).toContain('3 undelivered events');
    const billing = await runCliInProcess(['outbox', 'list', '--store', file, '--topic', 'billing', '--json']);
    const page = JSON.parse(billing.out) as { events: { id: string; attempts: number }[] };
    expect(page.events).toEqual([expect.objectContaining({ id: ids[2], attempts: 1 })]);

    const one = await runCliInProcess(['outbox', 'redeliver', '--store', file, '--id', ids[0] ?? '']);
    expect(one).toMatchObject({ code: 0, out: '1 event due again\n' });
    expect((await runCliInProcess(['outbox', 'pending', '--store', file])).out).toBe('1\n');
    const pending = await runCliInProcess(['outbox', 'list', '--pending', '--store', file]);
    expect(pending.out).toContain(ids[0]);
    expect(pending.out).toContain('1 pending event\n');
    expect((await runCliInProcess(['outbox', 'inspect', ids[0] ?? '', '--store', file])).out).toMatch(
      /state\s+pending\n/,
    );
    expect((await runCliInProcess(['outbox', 'list', '--pending', '--topic', 'billing', '--store', file])).out).toBe(
      'no pending events\n',
    );
    const byTopic = await runCliInProcess(['outbox', 'redeliver', '--store', file, '--topic', 'orders']);
    expect(byTopic.out).toBe('1 event due again\n');
    expect((await runCliInProcess(['outbox', 'list', '--store', file])).out).toContain('1 undelivered event\n');

    const delivered = await deliverAll(store);
    expect(delivered.events.map((event) => event.id).sort()).toEqual([ids[0], ids[1]].sort());
    expect((await runCliInProcess(['outbox', 'purge', '--store', file, '--older-than', '1d'])).out).toBe(
      '0 delivered events purged\n',
    );
    const future = new Date(Date.now() + 60_000).toISOString();
    expect((await runCliInProcess(['outbox', 'purge', '--store', file, '--older-than', future])).out).toBe(
      '2 delivered events purged\n',
    );
    expect((await runCliInProcess(['outbox', 'redeliver', '--store', file, '--all'])).out).toBe('1 event due again\n');
    expect((await runCliInProcess(['outbox', 'list', '--store', file])).out).toBe('no undelivered events\n');
    await store.close();
  });

  it('inspects one undelivered event and deletes undelivered events', async () => {
    const file = newFile();
    const store = new SqliteOutboxStore({ filename: file });
    const ids = await undeliver(store, ['orders', 'orders', 'billing']);
    const shown = await runCliInProcess(['outbox', 'inspect', ids[0] ?? '', '--store', file]);
    expect(shown.code).toBe(0);
    expect(shown.out).toMatch(/event\s+order:placed v1/);
    expect(shown.out).toMatch(/payload\s+\{"index":0\}/);
    expect(shown.out).toContain('#1');
    expect(shown.out).toContain('REJECTED: receiver answered 503');
    const json = await runCliInProcess(['outbox', 'inspect', ids[2] ?? '', '--store', file, '--json']);
    expect(JSON.parse(json.out)).toMatchObject({ id: ids[2], topic: 'billing', attempts: 1 });
    const missing = await runCliInProcess(['outbox', 'inspect', 'nope', '--store', file]);
    expect(missing).toMatchObject({ code: 1, err: expect.stringContaining("no event 'nope'") });

    expect((await runCliInProcess(['outbox', 'delete', '--store', file, '--id', ids[0] ?? ''])).out).toBe(
      '1 undelivered event deleted\n',
    );
    expect((await runCliInProcess(['outbox', 'delete', '--store', file, '--topic', 'orders'])).out).toBe(
      '1 undelivered event deleted\n',
    );
    expect((await runCliInProcess(['outbox', 'delete', '--store', file, '--all'])).out).toBe(
      '1 undelivered event deleted\n',
    );
    expect((await runCliInProcess(['outbox', 'list', '--store', file])).out).toBe('no undelivered events\n');
    expect(await store.pendingCount()).toBe(0);
    await store.close();
  });

  it('explains bad flags with the usage, exit code 2, before opening any store', async () => {
    const cases: [string[], RegExp][] = [
      [['outbox'], /needs a command/],
      [['outbox', 'shuffle', '--store', 'x.db'], /unknown outbox command 'shuffle'/],
      [['outbox', 'list'], /--store is required/],
      [
        ['outbox', 'list', '--store', 'mysql://db'],
        /--store: an outbox store is sqlite:<file>, redis:\/\/… or postgres:\/\/…/,
      ],
      [['outbox', 'redeliver', '--store', 'x.db'], /exactly one of --id, --all, or a filter/],
      [['outbox', 'redeliver', '--store', 'x.db', '--all', '--id', 'a'], /exactly one of/],
      [['outbox', 'purge', '--store', 'x.db'], /purge needs --older-than/],
      [['outbox', 'inspect', '--store', 'x.db'], /inspect needs the event id/],
      [['outbox', 'delete', '--store', 'x.db'], /delete needs exactly one of --id, --all, or a filter/],
      [
        ['outbox', 'purge', '--store', 'x.db', '--older-than', 'last week'],
        /--older-than must be an ISO date or a duration/,
      ],
      [['outbox', 'list', '--store', 'x.db', '--limit', '0'], /--limit must be 1 to 10000/],
      [['outbox', 'list', '--store', 'x.db', '--colour'], /Unknown option '--colour'/],
    ];
    for (const [argv, message] of cases) {
      const result = await runCliInProcess(argv);
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.err).toMatch(message);
      expect(result.err).toContain('Usage: events outbox');
    }
    expect((await runCliInProcess(['outbox', '--help'])).out).toContain('Usage: events outbox');
  });

  it('reads the store from EVENTS_OUTBOX_STORE and works as the built binary', async () => {
    const file = newFile();
    const store = new SqliteOutboxStore({ filename: file });
    await undeliver(store, ['audit']);
    await store.close();
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['packages/cli/dist/cli.js', 'outbox', 'list', '--no-color'],
      {
        env: { ...process.env, EVENTS_OUTBOX_STORE: `sqlite:${file}` },
      },
    );
    expect(stdout).toContain('audit');
    expect(stdout).toContain('1 undelivered event');
  });
});

describe('events outbox on Redis', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(() => redis.stop());

  it('lists and redelivers undelivered events in Redis Streams', async () => {
    const store = new RedisOutboxStore({ redis: redis.url, prefix: 'cli-test' });
    const ids = await undeliver(store, ['orders', 'orders']);
    const listed = await runCliInProcess(['outbox', 'list', '--store', redis.url, '--prefix', 'cli-test']);
    expect(listed.code).toBe(0);
    for (const id of ids) expect(listed.out).toContain(id);
    expect(
      (await runCliInProcess(['outbox', 'redeliver', '--store', redis.url, '--prefix', 'cli-test', '--all'])).out,
    ).toBe('2 events due again\n');
    expect((await deliverAll(store)).events).toHaveLength(2);
    await store.close();
  });

  it('says clearly when the store does not answer', async () => {
    const result = await runCliInProcess(['outbox', 'pending', '--store', 'redis://127.0.0.1:1']);
    expect(result.code).toBe(1);
    expect(result.err).toContain('cannot reach the store at redis://127.0.0.1:1: connection refused (ECONNREFUSED)');
  });
});

describe('events outbox on PostgreSQL', () => {
  let postgres: PostgresServer;
  beforeAll(async () => {
    postgres = await startPostgresServer();
  });
  afterAll(() => postgres.stop());

  it('lists, redelivers by filter and purges in a PostgreSQL table', async () => {
    const store = new PostgresOutboxStore({ pool: postgres.url, table: 'cli_outbox' });
    const ids = await undeliver(store, ['orders', 'billing']);
    const storeFlags = ['--store', postgres.url, '--table', 'cli_outbox'];
    const listed = await runCliInProcess(['outbox', 'list', ...storeFlags, '--json']);
    expect((JSON.parse(listed.out) as { events: { id: string }[] }).events.map((event) => event.id)).toEqual(ids);
    const mistyped = await runCliInProcess(['outbox', 'list', ...storeFlags, '--cursor', 'abc']);
    expect(mistyped).toMatchObject({
      code: 1,
      err: expect.stringContaining("cursor 'abc' is not one this store gave"),
    });
    expect((await runCliInProcess(['outbox', 'redeliver', ...storeFlags, '--topic', 'billing'])).out).toBe(
      '1 event due again\n',
    );
    expect((await deliverAll(store)).events.map((event) => event.id)).toEqual([ids[1]]);
    const future = new Date(Date.now() + 60_000).toISOString();
    expect((await runCliInProcess(['outbox', 'purge', ...storeFlags, '--older-than', future])).out).toBe(
      '1 delivered event purged\n',
    );
    expect((await runCliInProcess(['outbox', 'pending', ...storeFlags])).out).toBe('0\n');
    await store.close();
  });
});
