import { describe, expect, it } from 'vitest';
import type { OutboxEntry, Settlement } from '@events-protocol/outbox';
import { RedisOutboxStore } from '@events-protocol/outbox/redis';
import { startRedisServer } from '../support/redis-server.js';
import { orderEvent } from './events.js';

const t0 = Date.parse('2026-01-01T00:00:00Z');

// Enough entries that every view reads its index in several chunks (500 items each).
const count = 1300;
const topicOf = (index: number): string => (index % 101 === 0 ? 'rare' : 'common');

const entries = (): OutboxEntry[] =>
  Array.from({ length: count }, (_, index) => ({
    event: orderEvent(index, 'pages'),
    topic: topicOf(index),
    attributes: {},
    enqueuedAt: new Date(t0),
  }));

async function pageThrough(
  list: (cursor: string | undefined) => Promise<{ events: { id: string }[]; nextCursor: string | undefined }>,
): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await list(cursor);
    ids.push(...page.events.map((entry) => entry.id));
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return ids;
}

describe('the views of a Redis store with many entries', () => {
  it('page pending and undelivered entries across scan chunks, by topic and time', { timeout: 60_000 }, async () => {
    await using server = await startRedisServer();
    const store = new RedisOutboxStore({ redis: server.url, prefix: 'pages' });
    try {
      for (let index = 0; index < count; index += 500) await store.enqueueBatch(entries().slice(index, index + 500));
      const all = Array.from({ length: count }, (_, index) => `pages-${index}`);
      const rare = all.filter((_, index) => topicOf(index) === 'rare');
      expect(await pageThrough((cursor) => store.listPending({ limit: 97, ...(cursor ? { cursor } : {}) }))).toEqual(
        all,
      );
      expect(
        await pageThrough((cursor) => store.listPending({ topic: 'rare', limit: 7, ...(cursor ? { cursor } : {}) })),
      ).toEqual(rare);

      // Every entry fails for good, at a time in reverse order of enqueue: the undelivered view
      // lists by failure time.
      for (;;) {
        const claimed = await store.claim({ limit: 400, leaseMs: 60_000, now: new Date(), owner: 'relay' });
        if (claimed.length === 0) break;
        const settlements = claimed.map((entry): Settlement => {
          const index = Number(entry.id.slice('pages-'.length));
          const at = new Date(t0 + (count - index) * 1000).toISOString();
          return { claimed: entry, attempt: { attempt: 1, at, durationMs: 1, outcome: 'failed' }, next: 'undelivered' };
        });
        // Each settlement fails at its own time, so settle them one failure time at a time.
        for (const settlement of settlements) {
          expect(await store.settle([settlement], new Date(settlement.attempt.at))).toEqual([true]);
        }
      }
      const byFailure = [...all].reverse();
      expect(
        await pageThrough((cursor) => store.listUndelivered({ limit: 89, ...(cursor ? { cursor } : {}) })),
      ).toEqual(byFailure);
      expect(
        await pageThrough((cursor) =>
          store.listUndelivered({ topic: 'rare', limit: 5, ...(cursor ? { cursor } : {}) }),
        ),
      ).toEqual(byFailure.filter((id) => rare.includes(id)));
      // Failed from 100 s to 700 s after t0: entries count-100 down to count-699 (until is exclusive).
      const window = { since: new Date(t0 + 100_000), until: new Date(t0 + 700_000) };
      const inWindow = await pageThrough((cursor) =>
        store.listUndelivered({ ...window, limit: 250, ...(cursor ? { cursor } : {}) }),
      );
      expect(inWindow).toEqual(Array.from({ length: 600 }, (_, offset) => `pages-${count - 100 - offset}`));
      expect(await store.redeliver({ ...window, topic: 'rare' }, new Date())).toBe(
        inWindow.filter((id) => rare.includes(id)).length,
      );
      expect(await store.deleteUndelivered(window)).toBe(
        inWindow.length - inWindow.filter((id) => rare.includes(id)).length,
      );
      expect(await store.pendingCount()).toBe(inWindow.filter((id) => rare.includes(id)).length);

      for (const cursor of ['nope', '12', '-1']) {
        await expect(store.listUndelivered({ cursor })).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
      }
      await expect(store.listPending({ cursor: 'nope' })).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
    } finally {
      await store.close();
    }
  });
});
