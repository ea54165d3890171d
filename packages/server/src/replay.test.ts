import { EventBuilder, EventError, EventErrorType, type ResponseEvent } from '@events-protocol/core';
import { describe, expect, it } from 'vitest';
import { EventProcessor } from './event-processor.js';
import { EventRegistry } from './event-registry.js';
import { MemoryReplayStore } from './memory-replay-store.js';
import type { ReplayStore } from './replay-store.js';

function countingProcessor(options: { store?: ReplayStore; delayMs?: number; handlerTimeoutMs?: number } = {}) {
  const runs: string[] = [];
  const registry = new EventRegistry()
    .register({
      name: 'pay',
      handler: async (event) => {
        runs.push(event.id);
        await new Promise((resolve) => setTimeout(resolve, options.delayMs ?? 0));
        return { charged: runs.length };
      },
    })
    .register({ name: 'pay', version: 2, handler: () => ({ version: 2 }) })
    .register({
      name: 'missing',
      handler: (event) => {
        runs.push(event.id);
        throw new EventError(EventErrorType.NotFound, { code: 'NOPE' });
      },
    });
  const replay = options.store === undefined ? {} : { store: options.store };
  const processorOptions = options.handlerTimeoutMs === undefined ? {} : { handlerTimeoutMs: options.handlerTimeoutMs };
  return { runs, processor: new EventProcessor(registry, { ...processorOptions, replay }) };
}

describe('idempotent replay', () => {
  it('runs a repeated id once and replays the stored answer, marked as replayed', async () => {
    const { runs, processor } = countingProcessor();
    const event = EventBuilder.request({ name: 'pay', payload: null });
    const first = await processor.processEvent(event);
    const second = await processor.processEvent({ ...event, flowId: 'another-flow' });
    expect(runs).toEqual([event.id]);
    expect(first).toMatchObject({ name: 'pay:response', payload: { charged: 1 } });
    expect(second).toMatchObject({
      name: 'pay:response',
      id: event.id,
      payload: { charged: 1 },
      metadata: { replayed: true },
    });
  });

  it('makes concurrent duplicates wait for the first run', async () => {
    const { runs, processor } = countingProcessor({ delayMs: 40 });
    const event = EventBuilder.request({ name: 'pay', payload: null });
    const answers: ResponseEvent[] = await Promise.all([1, 2, 3].map(() => processor.processEvent(event)));
    expect(runs).toHaveLength(1);
    expect(answers.map((answer) => answer.payload)).toEqual([{ charged: 1 }, { charged: 1 }, { charged: 1 }]);
  });

  it('keys by name and version as well as id, and replays error answers too', async () => {
    const { runs, processor } = countingProcessor();
    const id = 'same-id';
    await processor.processEvent(EventBuilder.request({ name: 'pay', id, payload: null }));
    expect(
      await processor.processEvent(EventBuilder.request({ name: 'pay', version: 2, id, payload: null })),
    ).toMatchObject({
      payload: { version: 2 },
    });
    await processor.processEvent(EventBuilder.request({ name: 'missing', id, payload: null }));
    const again = await processor.processEvent(EventBuilder.request({ name: 'missing', id, payload: null }));
    expect(again).toMatchObject({ name: 'missing:notFound', metadata: { replayed: true } });
    expect(runs).toEqual([id, id]);
  });

  it('does not keep a timeout: the next attempt runs the event again', async () => {
    const { runs, processor } = countingProcessor({ delayMs: 80, handlerTimeoutMs: 20 });
    const event = EventBuilder.request({ name: 'pay', payload: null });
    expect(await processor.processEvent(event)).toMatchObject({ payload: { code: 'HANDLER_TIMEOUT' } });
    expect(await processor.processEvent(event)).toMatchObject({ payload: { code: 'HANDLER_TIMEOUT' } });
    expect(runs).toHaveLength(2);
  });

  it('forgets the least recently used answers past its bound', async () => {
    const store = new MemoryReplayStore({ maxEntries: 2 });
    const { runs, processor } = countingProcessor({ store });
    const [a, b, c] = ['a', 'b', 'c'].map((id) => EventBuilder.request({ name: 'pay', id, payload: null }));
    for (const event of [a, b, a, c, a, b]) await processor.processEvent(event);
    // a stays (used recently), b is evicted by c and runs again.
    expect(runs).toEqual(['a', 'b', 'c', 'b']);
    expect(store.size).toBe(2);
  });

  it('runs the event when the store fails, rather than refusing it', async () => {
    const broken: ReplayStore = {
      claim: () => Promise.reject(new Error('store down')),
      complete: () => Promise.reject(new Error('store down')),
      release: () => Promise.reject(new Error('store down')),
    };
    const { runs, processor } = countingProcessor({ store: broken });
    const event = EventBuilder.request({ name: 'pay', payload: null });
    expect(await processor.processEvent(event)).toMatchObject({ name: 'pay:response' });
    expect(runs).toHaveLength(1);
  });
});
