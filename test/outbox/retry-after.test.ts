import { fixedSchedule } from '@events-protocol/core';
import { HttpSink } from '@events-protocol/publish';
import { Outbox } from '@events-protocol/outbox';
import { SqliteOutboxStore } from '@events-protocol/outbox/sqlite';
import { describe, expect, it } from 'vitest';
import { listen, readBody } from '../support/http-server.js';
import { orderEvent } from './events.js';

// What a real target answers reaches the attempt records, and its Retry-After the next attempt.

describe('a relay publishing over HTTP', () => {
  it('records the answers and waits for the Retry-After of a 503', async () => {
    let answer: { status: number; headers: Record<string, string>; body: string } = {
      status: 503,
      headers: { 'retry-after': '120' },
      body: 'maintenance until noon',
    };
    await using server = await listen((request, response) => {
      void readBody(request).then(() => response.writeHead(answer.status, answer.headers).end(answer.body));
    });
    const store = new SqliteOutboxStore({ filename: ':memory:' });
    const sink = new HttpSink({ url: server.origin, timeouts: 5000 });
    let now = Date.parse('2026-01-01T00:00:00Z');
    const outbox = new Outbox({ store, clock: () => now });
    try {
      expect(await outbox.enqueue(orderEvent(1), { topic: 'orders' })).toBe(true);
      const relay = outbox.relay({ sink, schedule: fixedSchedule({ delayMs: 1000, maxAttempts: 5 }) });
      expect(await relay.runOnce()).toMatchObject({ claimed: 1, retried: 1 });
      const waiting = await outbox.getEntry('run-1');
      expect(waiting).toMatchObject({ state: 'pending', claimed: false, nextAttemptAt: new Date(now + 120_000) });
      expect(waiting?.history).toEqual([
        expect.objectContaining({
          attempt: 1,
          outcome: 'failed',
          status: 503,
          responseExcerpt: 'maintenance until noon',
          durationMs: expect.any(Number) as number,
        }),
      ]);

      // A minute later the schedule's 1 s is long past, but the target asked for 2 minutes.
      now += 60_000;
      expect(await relay.runOnce()).toMatchObject({ claimed: 0 });
      now += 60_000;
      answer = { status: 202, headers: {}, body: 'queued' };
      expect(await relay.runOnce()).toMatchObject({ claimed: 1, delivered: 1 });
      const delivered = await outbox.getEntry('run-1');
      expect(delivered).toMatchObject({ state: 'delivered', attempts: 2, deliveredAt: new Date(now) });
      expect(delivered?.history[1]).toMatchObject({
        attempt: 2,
        outcome: 'delivered',
        status: 202,
        responseExcerpt: 'queued',
      });
    } finally {
      await sink.close();
      await store.close();
    }
  });
});
