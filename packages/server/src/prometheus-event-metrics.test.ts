import { EventBuilder, EventError, EventErrorType } from '@events-protocol/core';
import { describe, expect, it } from 'vitest';
import { EventProcessor } from './event-processor.js';
import { EventRegistry } from './event-registry.js';
import { PrometheusEventMetrics } from './prometheus-event-metrics.js';

describe('PrometheusEventMetrics', () => {
  it('counts and times every answer by name, version and outcome', async () => {
    const metrics = new PrometheusEventMetrics({ bucketsMs: [5, 50] });
    const registry = new EventRegistry().register({ name: 'user:get', handler: () => ({ ok: true }) }).register({
      name: 'user:delete',
      version: 2,
      handler: () => {
        throw new EventError(EventErrorType.Forbidden, { code: 'NO' });
      },
    });
    const processor = new EventProcessor(registry, { metrics });
    for (let index = 0; index < 3; index++)
      await processor.processEvent(EventBuilder.request({ name: 'user:get', payload: null }));
    await processor.processEvent(EventBuilder.request({ name: 'user:delete', version: 2, payload: null }));
    await processor.processEvent(EventBuilder.request({ name: 'nope', payload: null }));
    await processor.processEvent('not json');

    const text = metrics.toPrometheusText();
    expect(text).toContain('# TYPE events_total counter');
    expect(text).toContain('events_total{name="user:get",version="1",outcome="success"} 3');
    expect(text).toContain('events_total{name="user:delete",version="2",outcome="forbidden"} 1');
    // Not by the unknown name: callers could make series without bound.
    expect(text).toContain('events_total{name="",version="",outcome="eventNotFound"} 1');
    expect(text).not.toContain('nope');
    expect(text).toContain('events_total{name="",version="",outcome="badProtocol"} 1');
    expect(text).toContain('# TYPE events_duration_seconds histogram');
    expect(text).toContain('events_duration_seconds_bucket{name="user:get",version="1",outcome="success",le="+Inf"} 3');
    expect(text).toMatch(/events_duration_seconds_bucket\{name="user:get",version="1",outcome="success",le="0.05"\} 3/);
    expect(text).toContain('events_duration_seconds_count{name="user:get",version="1",outcome="success"} 3');
    expect(text).toContain('# TYPE events_in_flight gauge\nevents_in_flight 0\n');
  });

  it('escapes label values', () => {
    const metrics = new PrometheusEventMetrics();
    metrics.recordEvent({ name: 'a"b\\c\nd', version: 1, outcome: 'success', durationMs: 1 });
    expect(metrics.toPrometheusText()).toContain('events_total{name="a\\"b\\\\c\\nd",version="1",outcome="success"} 1');
  });
});
