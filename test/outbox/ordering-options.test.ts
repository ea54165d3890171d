import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { Outbox, isOutboxError } from '@events-protocol/outbox';
import { SqliteOutboxStore } from '@events-protocol/outbox/sqlite';
import { orderEvent } from './events.js';

function openOutbox(clock = () => Date.parse('2026-05-01T08:00:00Z')) {
  return new Outbox({ store: new SqliteOutboxStore({ database: new Database(':memory:') }), clock });
}

describe('Outbox ordering keys and statistics', () => {
  it('stores the ordering key given to enqueue and enqueueItems, and claims by it', async () => {
    const outbox = openOutbox();
    try {
      expect(await outbox.enqueue(orderEvent(1), { orderingKey: 'order-42' })).toBe(true);
      expect(
        await outbox.enqueueItems([
          { event: orderEvent(2), orderingKey: 'order-42' },
          { event: orderEvent(3), orderingKey: 'order-7' },
          { event: orderEvent(4) },
        ]),
      ).toEqual([true, true, true]);
      expect((await outbox.getEntry('run-1'))?.orderingKey).toBe('order-42');
      expect((await outbox.getEntry('run-4'))?.orderingKey).toBeUndefined();
      const claims = await outbox.store.claim({ limit: 10, leaseMs: 60_000, now: new Date(), owner: 'relay' });
      expect(claims.map((claimed) => claimed.id).sort()).toEqual(['run-1', 'run-3', 'run-4']);
    } finally {
      await outbox.store.close();
    }
  });

  it('refuses an ordering key that is not a non-empty string of at most 200 characters', async () => {
    const outbox = openOutbox();
    try {
      for (const orderingKey of ['', 'k'.repeat(201), 42 as unknown as string]) {
        const refused = await outbox.enqueue(orderEvent(1), { orderingKey }).catch((error: unknown) => error);
        expect(isOutboxError(refused) && refused.code === 'INVALID_OPTIONS').toBe(true);
      }
      expect(await outbox.enqueue(orderEvent(1), { orderingKey: 'k'.repeat(200) })).toBe(true);
    } finally {
      await outbox.store.close();
    }
  });

  it('asks the store for statistics at the outbox clock', async () => {
    let now = Date.parse('2026-05-01T08:00:00Z');
    const outbox = openOutbox(() => now);
    try {
      await outbox.enqueue(orderEvent(1), { delayMs: 60_000 });
      expect(await outbox.stats()).toMatchObject({ pending: 1, due: 0, oldestPendingEnqueuedAt: new Date(now) });
      now += 61_000;
      expect(await outbox.stats()).toMatchObject({ pending: 1, due: 1 });
    } finally {
      await outbox.store.close();
    }
  });
});
