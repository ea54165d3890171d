import fc from 'fast-check';
import { DeliveryMetrics, otherTopicsLabel, type AttemptReport } from '@events-protocol/outbox';
import { describe, expect, it } from 'vitest';
import { parseExposition } from './delivery-metrics-exposition.js';
import { orderEvent } from './events.js';

const enqueuedAt = new Date('2026-01-01T00:00:00.000Z');

const observation = fc.record({
  outbox: fc.constantFrom('orders', 'hooks', 'a"b\\c'),
  topic: fc.option(fc.string({ maxLength: 12 }), { nil: undefined }),
  outcome: fc.constantFrom('delivered', 'failed', 'interrupted'),
  next: fc.constantFrom('delivered', 'retry', 'undelivered'),
  durationMs: fc.integer({ min: 0, max: 120_000 }),
  startedAfterMs: fc.integer({ min: 0, max: 200_000_000 }),
  recorded: fc.boolean(),
});

type Observation = typeof observation extends fc.Arbitrary<infer T> ? T : never;

function reportOf(value: Observation): AttemptReport {
  return {
    claimed: {
      id: 'entry',
      receipt: 'r',
      event: orderEvent(1),
      topic: value.topic,
      attributes: {},
      attempt: 1,
      history: [],
      enqueuedAt,
    },
    attempt: {
      attempt: 1,
      at: new Date(enqueuedAt.getTime() + value.startedAfterMs).toISOString(),
      durationMs: value.durationMs,
      outcome: value.outcome,
    },
    next: value.next,
    recorded: value.recorded,
  };
}

describe('DeliveryMetrics as Prometheus text', () => {
  it('follows the exposition format and counts every observation once, whatever it observes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(observation, { maxLength: 60 }),
        fc.integer({ min: 0, max: 4 }),
        fc.uniqueArray(fc.integer({ min: 1, max: 100_000_000 }), { minLength: 1, maxLength: 8 }),
        async (observations, maxTopics, bounds) => {
          const metrics = new DeliveryMetrics({ maxTopics, attemptBucketsMs: bounds, latencyBucketsMs: bounds });
          for (const each of observations) metrics.observe(reportOf(each), each.outbox);
          const families = parseExposition(await metrics.toPrometheusText());
          const total = (name: string) =>
            [...families.values()]
              .flatMap((family) => family.samples)
              .filter((sample) => sample.name === name)
              .reduce((sum, { value }) => sum + value, 0);
          expect(total('outbox_attempts_total')).toBe(observations.length);
          expect(total('outbox_given_up_total')).toBe(
            observations.filter((each) => each.next === 'undelivered' && each.recorded).length,
          );
          expect(total('outbox_attempt_duration_seconds_count')).toBe(
            observations.filter((each) => each.outcome !== 'interrupted').length,
          );
          expect(total('outbox_delivery_latency_seconds_count')).toBe(
            observations.filter((each) => each.next === 'delivered' && each.recorded).length,
          );
          for (const outbox of new Set(observations.map((each) => each.outbox))) {
            const topics = new Set(
              families
                .get('outbox_attempts_total')!
                .samples.filter((sample) => sample.labels.outbox === outbox)
                .map((sample) => sample.labels.topic),
            );
            topics.delete(otherTopicsLabel);
            expect(topics.size).toBeLessThanOrEqual(maxTopics);
          }
        },
      ),
      { numRuns: 300 },
    );
  }, 120_000);
});
