import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { Outbox, type OutboxStore } from '@events-protocol/outbox';
import { PostgresOutboxStore } from '@events-protocol/outbox/postgres';
import { RedisOutboxStore } from '@events-protocol/outbox/redis';
import { SqliteOutboxStore } from '@events-protocol/outbox/sqlite';
import { startPostgresServer } from '../support/postgres-server.js';
import { startRedisServer } from '../support/redis-server.js';
import type { ChildStoreConfig } from './children/child-store.js';
import { kill, killChildren, printed, startChild } from './crash-scenario.js';
import { orderEvent } from './events.js';
import { startReceiver } from './receiver.js';

// A poison event kills the relay that is handed it (SIGKILL, like the OOM killer), every time.
// Two relay processes share the store and are restarted whenever one dies; the retry budget must
// still hold: the poison event ends undelivered after `maxAttempts` claims, each recorded as an
// interrupted attempt (LEASE_EXPIRED), and every other event is delivered. With a per-entry
// schedule the store does not know the budget: the relay itself must settle the claim after the
// last interrupted attempt undelivered, without handing the event to the sink again.
afterEach(killChildren);

const maxAttempts = 3;
const leaseMs = 400;
const others = 60;
const relays = 2;

interface PoisonRun {
  store: ChildStoreConfig;
  open: () => OutboxStore;
  /** The relays find the schedule per entry (a function), so claims carry no budget. */
  perEntrySchedule?: boolean;
}

async function handedCount(log: string, id: string): Promise<number> {
  const text = await readFile(log, 'utf8');
  return text.split('\n').filter((line) => line === id).length;
}

async function runPoisonScenario(run: PoisonRun): Promise<void> {
  const directory = await mkdtemp(join(tmpdir(), 'outbox-poison-'));
  const handedLog = join(directory, 'handed.log');
  await writeFile(handedLog, '');
  await using receiver = await startReceiver();
  const store = run.open();
  const running = new Set<ChildProcess>();
  try {
    const outbox = new Outbox({ store });
    const poison = orderEvent(0, 'poison');
    const normal = Array.from({ length: others }, (_, index) => orderEvent(index, 'normal'));
    // The poison event is in the first batch, among events that must not suffer for it.
    for (const event of [...normal.slice(0, 5), poison, ...normal.slice(5)]) {
      await outbox.enqueue(event, { topic: 'orders' });
    }
    const env = (crashes: 'yes' | 'no'): Record<string, string> => ({
      OUTBOX_STORE: JSON.stringify(run.store),
      OUTBOX_RECEIVER: receiver.url,
      OUTBOX_POISON_ID: poison.id,
      OUTBOX_POISON_CRASHES: crashes,
      OUTBOX_HANDED_LOG: handedLog,
      OUTBOX_MAX_ATTEMPTS: String(maxAttempts),
      OUTBOX_LEASE_MS: String(leaseMs),
      OUTBOX_SCHEDULE: run.perEntrySchedule === true ? 'per-entry' : 'one',
    });
    const start = (crashes: 'yes' | 'no'): ChildProcess => {
      const child = startChild('poison-relay.ts', env(crashes));
      running.add(child);
      child.once('exit', () => running.delete(child));
      return child;
    };

    // Restart relays as they die, until the poison event is undelivered and the rest arrived,
    // or clearly past the budget (the defect: the poison event is sent again on every claim).
    const settled = async (): Promise<boolean> =>
      (await outbox.getUndelivered(poison.id)) !== undefined &&
      normal.every((event) => receiver.received.has(event.id));
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && !(await settled())) {
      if ((await handedCount(handedLog, poison.id)) > maxAttempts + 3) break;
      while (running.size < relays) start('yes');
      await sleep(50);
    }
    await Promise.all([...running].map((child) => kill(child, 'SIGTERM')));
    const handed = await handedCount(handedLog, poison.id);
    console.log(`poison event (${run.store.kind}): handed to the sink ${handed} times, max ${maxAttempts}`);

    // (c) never handed out beyond the budget, (a, b) undelivered after exactly maxAttempts claims,
    // each interrupted attempt recorded as LEASE_EXPIRED with the time its lease ended.
    expect(handed).toBeLessThanOrEqual(maxAttempts);
    const undelivered = await outbox.getUndelivered(poison.id);
    const interrupted = Array.from({ length: maxAttempts }, (_, index) => [index + 1, 'interrupted', 'LEASE_EXPIRED']);
    // The store moves it at its next claim; a relay that knows the budget only per entry settles
    // that claim undelivered unpublished, recorded as one more attempt.
    const records =
      run.perEntrySchedule === true ? [...interrupted, [maxAttempts + 1, 'failed', 'ATTEMPTS_EXHAUSTED']] : interrupted;
    expect(undelivered).toMatchObject({ id: poison.id, topic: 'orders', attempts: records.length });
    expect(undelivered!.event).toEqual(poison);
    expect(undelivered!.history.map((record) => [record.attempt, record.outcome, record.error?.code])).toEqual(records);
    for (const record of undelivered!.history) expect(new Date(record.at).toISOString()).toBe(record.at);
    if (run.perEntrySchedule !== true)
      expect(undelivered!.failedAt.toISOString()).toBe(undelivered!.history.at(-1)!.at);
    // (d) nothing else was lost, nor pushed into the undelivered store by the poison event.
    expect(normal.filter((event) => !receiver.received.has(event.id)).map((event) => event.id)).toEqual([]);
    expect((await store.listUndelivered()).events.map((event) => event.id)).toEqual([poison.id]);
    expect(await store.pendingCount()).toBe(0);

    // (e) an operator redelivers it with fresh attempts, to a relay that no longer crashes.
    expect(await outbox.redeliver({ ids: [poison.id] })).toBe(1);
    expect(await outbox.getUndelivered(poison.id)).toBeUndefined();
    const healthy = start('no');
    await printed(healthy, 'relay ready');
    await expect.poll(() => receiver.received.has(poison.id), { timeout: 20_000 }).toBe(true);
    await kill(healthy, 'SIGTERM');
    expect(await store.pendingCount()).toBe(0);
    expect((await store.listUndelivered()).events).toEqual([]);
  } finally {
    await killChildren();
    await store.close();
    await rm(directory, { recursive: true, force: true });
  }
}

describe('a poison event that kills its relay every time', () => {
  it('ends undelivered after maxAttempts claims on SQLite', { timeout: 120_000 }, async () => {
    const directory = await mkdtemp(join(tmpdir(), 'outbox-poison-sqlite-'));
    try {
      const filename = join(directory, 'outbox.db');
      await runPoisonScenario({
        store: { kind: 'sqlite', filename },
        open: () => new SqliteOutboxStore({ filename }),
      });
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('ends undelivered after maxAttempts claims on PostgreSQL', { timeout: 120_000 }, async () => {
    await using postgres = await startPostgresServer();
    await runPoisonScenario({
      store: { kind: 'postgres', url: postgres.url, table: 'poison_outbox' },
      open: () => new PostgresOutboxStore({ pool: postgres.url, table: 'poison_outbox' }),
    });
  });

  it('ends undelivered after maxAttempts claims on Redis Streams', { timeout: 120_000 }, async () => {
    await using redis = await startRedisServer();
    await runPoisonScenario({
      store: { kind: 'redis', url: redis.url, prefix: 'poison' },
      open: () => new RedisOutboxStore({ redis: redis.url, prefix: 'poison' }),
    });
  });

  it(
    'ends undelivered after maxAttempts claims with a per-entry schedule on SQLite',
    { timeout: 120_000 },
    async () => {
      const directory = await mkdtemp(join(tmpdir(), 'outbox-poison-per-entry-'));
      try {
        const filename = join(directory, 'outbox.db');
        await runPoisonScenario({
          store: { kind: 'sqlite', filename },
          open: () => new SqliteOutboxStore({ filename }),
          perEntrySchedule: true,
        });
      } finally {
        await rm(directory, { recursive: true, force: true });
      }
    },
  );
});
