import { describe, expect, it } from 'vitest';
import { DeliveryMetrics } from './delivery-metrics.js';
import type { AttemptRecord, ClaimedEvent } from './outbox-store.js';
import type { AttemptReport } from './relay-options.js';

const enqueuedAt = new Date('2026-01-01T00:00:00.000Z');

function report(
  topic: string | undefined,
  attempt: Partial<AttemptRecord>,
  next: AttemptReport['next'],
): AttemptReport {
  const claimed: ClaimedEvent = {
    id: 'entry-1',
    receipt: 'r',
    event: {
      name: 'order:created',
      version: 1,
      id: 'e-1',
      flowId: 'f-1',
      payload: null,
      identity: {},
      auth: {},
      metadata: {},
      createdAt: enqueuedAt.toISOString(),
    },
    topic,
    attributes: {},
    attempt: attempt.attempt ?? 1,
    history: [],
    enqueuedAt,
  };
  const record: AttemptRecord = {
    attempt: 1,
    at: new Date(enqueuedAt.getTime() + 1500).toISOString(),
    durationMs: 500,
    outcome: 'delivered',
    ...attempt,
  };
  return { claimed, attempt: record, next, recorded: true };
}

const line = (text: string, start: string) => text.split('\n').filter((each) => each.startsWith(start));

describe('DeliveryMetrics', () => {
  it('measures the latency from enqueue to the end of the delivering attempt, in seconds', async () => {
    const metrics = new DeliveryMetrics({ latencyBucketsMs: [1000, 2000, 5000] });
    metrics.observe(report('orders', {}, 'delivered'), 'main');
    const text = await metrics.toPrometheusText();
    expect(line(text, 'outbox_delivery_latency_seconds')).toEqual([
      'outbox_delivery_latency_seconds_bucket{outbox="main",topic="orders",le="1"} 0',
      'outbox_delivery_latency_seconds_bucket{outbox="main",topic="orders",le="2"} 1',
      'outbox_delivery_latency_seconds_bucket{outbox="main",topic="orders",le="5"} 1',
      'outbox_delivery_latency_seconds_bucket{outbox="main",topic="orders",le="+Inf"} 1',
      'outbox_delivery_latency_seconds_sum{outbox="main",topic="orders"} 2',
      'outbox_delivery_latency_seconds_count{outbox="main",topic="orders"} 1',
    ]);
  });

  it('times no interrupted attempt, measures no latency of an unrecorded delivery, counts give-ups', async () => {
    const metrics = new DeliveryMetrics();
    metrics.observe(report(undefined, { outcome: 'interrupted', durationMs: 0 }, 'retry'), 'main');
    metrics.observe({ ...report(undefined, {}, 'delivered'), recorded: false }, 'main');
    metrics.observe(report(undefined, { outcome: 'failed' }, 'undelivered'), 'main');
    const text = await metrics.toPrometheusText();
    expect(line(text, 'outbox_attempts_total{')).toEqual([
      'outbox_attempts_total{outbox="main",topic="",outcome="interrupted"} 1',
      'outbox_attempts_total{outbox="main",topic="",outcome="delivered"} 1',
      'outbox_attempts_total{outbox="main",topic="",outcome="failed"} 1',
    ]);
    expect(line(text, 'outbox_attempt_duration_seconds_count')).toHaveLength(2);
    expect(line(text, 'outbox_delivery_latency_seconds_count')).toEqual([]);
    expect(line(text, 'outbox_given_up_total{')).toEqual(['outbox_given_up_total{outbox="main",topic=""} 1']);
  });

  it('escapes label values as the exposition format says', async () => {
    const metrics = new DeliveryMetrics();
    metrics.observe(report('a"b\\c\nd', {}, 'delivered'), 'main');
    expect(line(await metrics.toPrometheusText(), 'outbox_attempts_total{')).toEqual([
      'outbox_attempts_total{outbox="main",topic="a\\"b\\\\c\\nd",outcome="delivered"} 1',
    ]);
  });

  it('refuses options it cannot use', () => {
    expect(() => new DeliveryMetrics({ maxTopics: -1 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
    expect(() => new DeliveryMetrics({ statsTimeoutMs: 0 })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS' }),
    );
    for (const bounds of [[], [0], [1, 1], [5, Infinity], [Number.NaN]]) {
      expect(() => new DeliveryMetrics({ latencyBucketsMs: bounds })).toThrow(
        expect.objectContaining({ code: 'INVALID_OPTIONS' }),
      );
    }
  });

  it('reports a store that never answers as down after statsTimeoutMs', async () => {
    const metrics = new DeliveryMetrics({ statsTimeoutMs: 50 });
    metrics.watch('hung', { stats: () => new Promise(() => undefined) });
    expect(await metrics.readQueues()).toEqual([{ outbox: 'hung', up: false }]);
  });
});
