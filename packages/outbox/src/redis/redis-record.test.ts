import { describe, expect, it } from 'vitest';
import type { OutboxEntry } from '../outbox-store.js';
import { entryFields, readClaimed, readHistory, readStoredEntry } from './redis-record.js';
import { failedAtPosition, undeliveredMember } from './redis-keys.js';

const event = { id: 'e-1', name: 'order:placed', createdAt: '2026-01-01T00:00:00.000Z', payload: { n: 1 } };
const entry = {
  event,
  topic: 'orders',
  attributes: { tenant: 'acme' },
  enqueuedAt: new Date(1767225600000),
} as unknown as OutboxEntry;
const attempt = { attempt: 1, at: '2026-01-01T00:00:01.000Z', durationMs: 5, outcome: 'failed', status: 503 };

function hash(extra: Record<string, string>): string[] {
  return [...entryFields(entry), 'seq', '7', 'attempts', '1', ...Object.entries(extra).flat()];
}

describe('the hash of an entry', () => {
  it('reads a pending entry back, due at its dueAt, or at its lease end while claimed', () => {
    const waiting = readStoredEntry('a', hash({ state: 'pending', dueAt: '1767225660000' }), [JSON.stringify(attempt)]);
    expect(waiting).toEqual({
      id: 'a',
      state: 'pending',
      claimed: false,
      topic: 'orders',
      event,
      attributes: { tenant: 'acme' },
      attempts: 1,
      history: [attempt],
      enqueuedAt: new Date(1767225600000),
      nextAttemptAt: new Date(1767225660000),
    });
    const held = hash({ state: 'pending', dueAt: '1', claim: 'r', leaseEnd: '1767225690000', leaseEndAt: 'x' });
    // The attempt a relay holds counts: it is attempt 2.
    expect(readStoredEntry('a', held, [])).toMatchObject({
      claimed: true,
      attempts: 2,
      nextAttemptAt: new Date(1767225690000),
    });
    expect(readClaimed(['a', 'r', held, []])).toMatchObject({ id: 'a', receipt: 'r', attempt: 2, history: [] });
  });

  it('reads delivered and undelivered entries with their times', () => {
    expect(readStoredEntry('a', hash({ state: 'delivered', deliveredAt: '5' }), [])).toMatchObject({
      state: 'delivered',
      deliveredAt: new Date(5),
    });
    expect(readStoredEntry('a', hash({ state: 'undelivered', failedAt: '6' }), [])).toMatchObject({
      state: 'undelivered',
      failedAt: new Date(6),
    });
  });

  it('refuses a hash that is not an entry', () => {
    for (const bad of [[], hash({ state: 'lost' }), hash({}), 'text']) {
      expect(() => readStoredEntry('a', bad, [])).toThrow(expect.objectContaining({ code: 'CORRUPT_RECORD' }));
    }
    expect(() => readHistory(['{"attempt":1}'])).toThrow(expect.objectContaining({ code: 'CORRUPT_RECORD' }));
    expect(() => readClaimed(['a'])).toThrow(expect.objectContaining({ code: 'CORRUPT_RECORD' }));
  });
});

describe('undelivered members', () => {
  it('sort by failure time as text, then by id', () => {
    const members = [
      undeliveredMember(10_000, 'b'),
      undeliveredMember(9_999, 'z'),
      undeliveredMember(10_000, 'a'),
      undeliveredMember(1767225600000, 'c'),
    ];
    expect([...members].sort()).toEqual([
      '000000000009999|z',
      '000000000010000|a',
      '000000000010000|b',
      '001767225600000|c',
    ]);
    // A `since` bound sorts before every member failed at that time, an `until` bound after none.
    expect(failedAtPosition(10_000) < undeliveredMember(10_000, '')).toBe(true);
  });
});
