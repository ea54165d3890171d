import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeJson } from '@events-protocol/core';
import { RedisOutboxStore } from '@events-protocol/outbox/redis';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { orderEvent } from './events.js';

// Data as the previous version of the Redis store wrote it: whole records in the stream, retries
// and scheduled entries as JSON arrays in a sorted set, undelivered entries in a stream of their
// own, failures as `errors` lists. The new store must read all of it.

const t0 = Date.parse('2026-01-01T00:00:00Z');
const iso = (ms: number): string => new Date(ms).toISOString();

function oldFields(index: number, attempts: number, errors: unknown[], topic = 'orders'): string[] {
  return [
    ...['id', `old-${index}`, 'topic', topic, 'event', writeJson(orderEvent(index, 'old'))],
    ...['attributes', '{"tenant":"acme"}', 'enqueuedAt', String(t0), 'attempts', String(attempts)],
    ...['errors', JSON.stringify(errors)],
  ];
}

const failed = (attempt: number) => ({ attempt, at: iso(t0 + attempt), message: 'receiver said 503', name: 'E' });
const expired = (attempt: number) => ({
  attempt,
  at: iso(t0 + attempt),
  message: 'lease expired',
  name: 'LeaseExpired',
  code: 'LEASE_EXPIRED',
});

let server: RedisServer;
let raw: Redis;
beforeAll(async () => {
  server = await startRedisServer();
  raw = new Redis(server.url);
});
afterAll(async () => {
  raw.disconnect();
  await server.stop();
});

/** Writes one entry in every state of the previous layout under `prefix`. */
async function writeOldOutbox(prefix: string): Promise<void> {
  const key = (name: string) => `${prefix}:${name}`;
  await raw.call('XGROUP', ['CREATE', key('events'), 'relays', '0', 'MKSTREAM']);
  // old-1: claimed by a relay of the previous version that died; its first claim expired already.
  const claimedId = (await raw.call('XADD', [key('events'), '*', ...oldFields(1, 1, [failed(1)])])) as string;
  await raw.call('XREADGROUP', ['GROUP', 'relays', 'old-relay', 'COUNT', '1', 'STREAMS', key('events'), '>']);
  await raw.call('XCLAIM', [key('events'), 'relays', 'other-relay', '0', claimedId]);
  await raw.hset(key('interrupted'), claimedId, JSON.stringify([expired(2)]));
  // old-2: due, never claimed.
  await raw.call('XADD', [key('events'), '*', ...oldFields(2, 0, [])]);
  // old-3: waiting for its retry, due already; old-4: scheduled for later.
  await raw.zadd(key('retries'), t0, JSON.stringify(oldFields(3, 1, [failed(1)])));
  const scheduled = JSON.stringify(oldFields(4, 0, [], 'later'));
  await raw.zadd(key('retries'), Date.now() + 3_600_000, scheduled);
  await raw.hset(key('scheduled'), 'old-4', scheduled);
  // old-5: undelivered after a failure and an interrupted attempt.
  const dead = [...oldFields(5, 2, [failed(1), expired(2)]), 'failedAt', String(t0 + 5000)];
  await raw.call('XADD', [key('undelivered'), '*', ...dead]);
  // old-6: delivered; the previous layout kept only its id.
  await raw.zadd(key('delivered'), t0 + 6000, 'old-6');
  await raw.sadd(key('ids'), 'old-1', 'old-2', 'old-3', 'old-4', 'old-5', 'old-6');
}

describe('a Redis outbox written by the previous version', () => {
  it('is converted: every entry keeps its state, its attempts and its errors as attempt records', async () => {
    await writeOldOutbox('old');
    const store = new RedisOutboxStore({ redis: server.url, prefix: 'old' });
    try {
      expect(await store.setup()).toEqual(['5 entries of the previous Redis layout converted']);
      expect(await store.setup()).toEqual([]);

      expect(await store.getEntry('old-5')).toMatchObject({
        state: 'undelivered',
        topic: 'orders',
        attempts: 2,
        failedAt: new Date(t0 + 5000),
        history: [
          { attempt: 1, at: iso(t0 + 1), durationMs: 0, outcome: 'failed', error: { name: 'E' } },
          { attempt: 2, durationMs: 0, outcome: 'interrupted', error: { code: 'LEASE_EXPIRED' } },
        ],
      });
      expect((await store.listUndelivered()).events.map((entry) => entry.id)).toEqual(['old-5']);
      // Two claims by the previous version: one recorded as expired, one in flight when it died.
      const claimed = await store.getEntry('old-1');
      expect(claimed).toMatchObject({ state: 'pending', claimed: false, attempts: 3 });
      expect(claimed!.history.map((record) => [record.attempt, record.outcome])).toEqual([
        [1, 'failed'],
        [2, 'interrupted'],
        [3, 'interrupted'],
      ]);
      const pending = await store.listPending();
      expect(pending.events.map((entry) => entry.id).sort()).toEqual(['old-1', 'old-2', 'old-3', 'old-4']);
      expect(await store.pendingCount()).toBe(4);

      // Ids stay taken, the delivered one's too.
      for (const index of [1, 2, 3, 4, 5, 6]) {
        const entry = { event: orderEvent(index, 'old'), topic: undefined, attributes: {}, enqueuedAt: new Date() };
        expect({ index, stored: await store.enqueue(entry) }).toEqual({ index, stored: false });
      }

      const now = new Date();
      const batch = await store.claim({ limit: 10, leaseMs: 60_000, now, owner: 'new-relay', maxAttempts: 10 });
      expect(batch.map((entry) => [entry.id, entry.attempt])).toEqual([
        ['old-1', 4],
        ['old-2', 1],
        ['old-3', 2],
      ]);
      expect(batch[1]!.event).toEqual(orderEvent(2, 'old'));
      expect(batch[2]!.history).toEqual([
        {
          attempt: 1,
          at: iso(t0 + 1),
          durationMs: 0,
          outcome: 'failed',
          error: { message: 'receiver said 503', name: 'E' },
        },
      ]);
      const record = { at: now.toISOString(), durationMs: 3, outcome: 'delivered' } as const;
      const settled = await store.settle(
        batch.map((entry) => ({ claimed: entry, attempt: { ...record, attempt: entry.attempt }, next: 'delivered' })),
        now,
      );
      expect(settled).toEqual([true, true, true]);
      expect(await store.cancel('old-4')).toBe(true);
      expect(await store.pendingCount()).toBe(0);
      expect(await store.purgeDelivered(new Date(now.getTime() + 1))).toBe(4);
      expect(await raw.exists('old:ids', 'old:retries', 'old:scheduled', 'old:interrupted', 'old:undelivered')).toBe(0);
    } finally {
      await store.close();
    }
  });

  it('converts on first use without setup, and takes in what a producer of the previous version still writes', async () => {
    await writeOldOutbox('rolling');
    const store = new RedisOutboxStore({ redis: server.url, prefix: 'rolling' });
    try {
      expect(await store.pendingCount()).toBe(4);
      await raw.call('XADD', ['rolling:events', '*', ...oldFields(7, 0, [])]);
      const claim = () =>
        store.claim({ limit: 10, leaseMs: 60_000, now: new Date(), owner: 'new-relay', maxAttempts: 10 });
      const ids = [...(await claim()), ...(await claim())].map((entry) => [entry.id, entry.attempt]);
      expect(ids).toEqual([
        ['old-1', 4],
        ['old-2', 1],
        ['old-3', 2],
        ['old-7', 1],
      ]);
      expect(await store.getEntry('old-7')).toMatchObject({ state: 'pending', claimed: true, attempts: 1 });
    } finally {
      await store.close();
    }
  });
});
