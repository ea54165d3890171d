import { describe, expect, it } from 'vitest';
import type { PublishedEvent } from '@events-protocol/publish';
import type { AttemptRecord, ClaimedEvent, OutboxEntry } from '../outbox-store.js';
import { planInsert, settledFlags, settlementsParameter, storedFlags } from './postgres-parameters.js';

const t0 = new Date('2026-01-01T00:00:00Z');
const later = new Date('2026-01-01T01:00:00Z');

function eventOf(id: string): PublishedEvent {
  return {
    name: 'order:placed',
    version: 1,
    id,
    flowId: 'flow',
    payload: { total: 12345678901234567890n },
    identity: {},
    auth: {},
    metadata: {},
    createdAt: '2026-01-01T00:00:00.000Z',
  };
}

function entryOf(id: string, extra: Partial<OutboxEntry> = {}): OutboxEntry {
  return { event: eventOf(id), topic: 'orders', attributes: { tenant: 'acme' }, enqueuedAt: t0, ...extra };
}

const failed: AttemptRecord = {
  attempt: 1,
  at: '2026-01-01T00:00:05.000Z',
  durationMs: 30,
  outcome: 'failed',
  error: { message: 'timed out', code: 'TIMEOUT' },
};

describe('planInsert', () => {
  it('sends one row per distinct id as parallel arrays, the first of a repeated id only', () => {
    const plan = planInsert([
      entryOf('a'),
      entryOf('b', { id: 'delivery-b', availableAt: later, topic: undefined }),
      entryOf('a', { topic: 'other' }),
      entryOf('c', { failure: failed }),
    ]);
    expect(plan.ids).toEqual(['a', 'delivery-b', 'a', 'c']);
    expect(plan.first).toEqual([true, true, false, true]);
    const [ids, topics, events, attributes, enqueuedAt, availableAt, statuses, attempts, histories, failedAt] =
      plan.values;
    expect(ids).toEqual(['a', 'delivery-b', 'c']);
    expect(topics).toEqual(['orders', null, 'orders']);
    // Events keep 64-bit integers as digits, not as rounded numbers.
    expect(events).toEqual([expect.stringContaining('12345678901234567890'), expect.any(String), expect.any(String)]);
    expect(attributes).toEqual(['{"tenant":"acme"}', '{"tenant":"acme"}', '{"tenant":"acme"}']);
    expect(enqueuedAt).toEqual([t0, t0, t0]);
    expect(availableAt).toEqual([t0, later, t0]);
    expect(statuses).toEqual(['pending', 'pending', 'undelivered']);
    expect(attempts).toEqual([0, 0, 1]);
    expect(histories).toEqual(['[]', '[]', JSON.stringify([failed])]);
    expect(failedAt).toEqual([null, null, new Date(failed.at)]);
  });

  it('throws for an event that cannot be written, before anything is sent', () => {
    const cyclic = eventOf('x');
    (cyclic.payload as Record<string, unknown>).self = cyclic.payload;
    expect(() => planInsert([entryOf('a'), { ...entryOf('x'), event: cyclic }])).toThrow();
  });

  it('reads back a flag per entry: stored only when its id came back and it was the first of it', () => {
    const plan = planInsert([entryOf('a'), entryOf('b'), entryOf('a'), entryOf('c')]);
    expect(storedFlags(plan, ['a', 'c'])).toEqual([true, false, false, true]);
    expect(storedFlags(plan, [])).toEqual([false, false, false, false]);
  });
});

describe('settlementsParameter', () => {
  const claimed = (id: string, receipt: string): ClaimedEvent => ({
    id,
    receipt,
    event: eventOf(id),
    topic: undefined,
    attributes: {},
    attempt: 1,
    history: [],
    enqueuedAt: t0,
  });

  it('writes each settlement as a row with its position, claim, next step and attempt record', () => {
    const delivered: AttemptRecord = {
      attempt: 1,
      at: t0.toISOString(),
      durationMs: 4,
      outcome: 'delivered',
      status: 204,
    };
    const rows: unknown = JSON.parse(
      settlementsParameter([
        { claimed: claimed('a', 'relay/1'), attempt: delivered, next: 'delivered' },
        { claimed: claimed('b', 'relay/1'), attempt: failed, next: 'retry', nextAttemptAt: later },
        { claimed: claimed('c', 'relay/2'), attempt: failed, next: 'undelivered' },
      ]),
    );
    expect(rows).toEqual([
      { position: 0, id: 'a', lease: 'relay/1', next: 'delivered', attempt: delivered, due: null },
      { position: 1, id: 'b', lease: 'relay/1', next: 'retry', attempt: failed, due: later.toISOString() },
      { position: 2, id: 'c', lease: 'relay/2', next: 'undelivered', attempt: failed, due: null },
    ]);
  });

  it('turns the positions that came back into one flag per settlement', () => {
    expect(settledFlags(4, [2, 0])).toEqual([true, false, true, false]);
    expect(settledFlags(0, [])).toEqual([]);
  });
});
