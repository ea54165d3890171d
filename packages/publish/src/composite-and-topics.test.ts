import { describe, expect, it } from 'vitest';
import { healthReport } from './health-report.js';
import { createPublishedEvent } from './published-event.js';
import { isPublishError, PublishError, PublishErrorCode } from './publish-error.js';
import type { Sink } from './sink.js';
import { CompositeSink } from './sinks/composite-sink.js';
import { RecordingSink } from './sinks/recording-sink.js';
import { TopicPublisher } from './topic-publisher.js';

const failing = (name: string): Sink => ({
  name,
  publish: () => Promise.reject(new PublishError(PublishErrorCode.Unreachable, `${name} is down`, { sink: name })),
  healthCheck: () => Promise.resolve(false),
});

describe('CompositeSink', () => {
  it('tries every sink, and with policy all rejects with each failure listed', async () => {
    const [a, b] = [new RecordingSink('a'), new RecordingSink('b')];
    const composite = new CompositeSink([a, failing('down'), b]);
    const error: unknown = await composite
      .publish(createPublishedEvent({ name: 'x', payload: 1 }))
      .catch((caught: unknown) => caught);
    expect(isPublishError(error) && error.code).toBe('PARTIAL_FAILURE');
    expect((error as PublishError).failures.map((failure) => failure.sink)).toEqual(['down']);
    expect([a.events.length, b.events.length]).toEqual([1, 1]);
    expect(await composite.healthCheck()).toBe(false);
  });

  it('with policy any, resolves when one sink took the event and rejects when none did', async () => {
    const a = new RecordingSink('a');
    await new CompositeSink([failing('down'), a], { policy: 'any' }).publish(
      createPublishedEvent({ name: 'x', payload: 1 }),
    );
    expect(a.events).toHaveLength(1);
    await expect(
      new CompositeSink([failing('one'), failing('two')], { policy: 'any' }).publish(
        createPublishedEvent({ name: 'x', payload: 1 }),
      ),
    ).rejects.toMatchObject({ code: 'PARTIAL_FAILURE' });
  });
});

describe('TopicPublisher', () => {
  it('routes topics to sinks with attributes, and refuses unknown topics clearly', async () => {
    const orders = new RecordingSink('orders');
    const topics = new TopicPublisher({ orders });
    const published = await topics.publish(
      'orders',
      { name: 'order:placed', payload: { orderId: 'o-1' } },
      { region: 'eu' },
    );
    orders.assertPublished({ name: 'order:placed', topic: 'orders', id: published.id });
    expect(orders.recorded[0]?.options.attributes).toEqual({ region: 'eu' });
    const error: unknown = await topics
      .publish('billing', { name: 'x', payload: null })
      .catch((caught: unknown) => caught);
    expect(isPublishError(error) && error.code).toBe('TOPIC_NOT_CONFIGURED');
    expect((error as Error).message).toBe("topic 'billing' is not configured (configured: orders)");
  });
});

describe('healthReport', () => {
  it('reports every sink, bounded in time, never throwing', async () => {
    const hanging: Sink = {
      name: 'hanging',
      publish: () => Promise.resolve(),
      healthCheck: () => new Promise(() => undefined),
    };
    const throwing: Sink = {
      name: 'throwing',
      publish: () => Promise.resolve(),
      healthCheck: () => Promise.reject(new Error('x')),
    };
    const report = await healthReport([new RecordingSink('ok'), hanging, throwing], { timeoutMs: 50 });
    expect(report.healthy).toBe(false);
    expect(report.sinks.map((sink) => [sink.name, sink.healthy])).toEqual([
      ['ok', true],
      ['hanging', false],
      ['throwing', false],
    ]);
  });
});
