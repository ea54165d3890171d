import { currentEventContext, useEventContext, EventBuilder, type ResponseEvent } from '@events-protocol/core';
import { describe, expect, it } from 'vitest';
import type { HandlerContext } from './event-handler.js';
import { EventProcessor } from './event-processor.js';
import { EventRegistry } from './event-registry.js';

const request = (name: string, metadata: Record<string, unknown> = {}) =>
  EventBuilder.request({ name, payload: null, metadata });

function deferred() {
  let release!: () => void;
  const promise = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { promise, release };
}

describe('EventProcessor handler timeout', () => {
  it('answers HANDLER_TIMEOUT when a handler runs too long, per processor and per handler', async () => {
    const registry = new EventRegistry()
      .register({ name: 'hang', handler: () => new Promise(() => undefined) })
      .register({
        name: 'quick',
        timeoutMs: 20,
        handler: () => new Promise<void>((resolve) => setTimeout(resolve, 1000)),
      });
    const processor = new EventProcessor(registry, { handlerTimeoutMs: 50 });
    const started = performance.now();
    expect(await processor.processEvent(request('hang'))).toMatchObject({
      name: 'hang:error',
      payload: { code: 'HANDLER_TIMEOUT', parameters: { timeoutMs: 50 } },
    });
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
    expect(await processor.processEvent(request('quick'))).toMatchObject({
      payload: { code: 'HANDLER_TIMEOUT', parameters: { timeoutMs: 20 } },
    });
  });

  it('refuses a non-positive handler timeout, in-flight limit or JSON depth at construction', () => {
    const registry = new EventRegistry();
    expect(() => new EventProcessor(registry, { handlerTimeoutMs: 0 })).toThrow(/handlerTimeoutMs/);
    expect(() => new EventProcessor(registry, { maxInFlight: -1 })).toThrow(/maxInFlight/);
    expect(() => new EventProcessor(registry, { maxJsonDepth: Number.NaN })).toThrow(/maxJsonDepth/);
  });
});

describe('EventProcessor deadlines', () => {
  it('answers an event whose metadata deadline has passed without running the handler', async () => {
    let ran = false;
    const processor = new EventProcessor(new EventRegistry().register({ name: 'work', handler: () => (ran = true) }));
    const answer = await processor.processEvent(request('work', { deadline: new Date(Date.now() - 1).toISOString() }));
    expect(answer).toMatchObject({ name: 'work:error', payload: { code: 'DEADLINE_EXCEEDED', parameters: {} } });
    expect(ran).toBe(false);
  });

  it("ends a handler at the caller's deadline and aborts its signal", async () => {
    let signal: AbortSignal | undefined;
    const registry = new EventRegistry().register({
      name: 'slow',
      handler: async (_event, context) => {
        signal = context.signal;
        await new Promise((resolve) => setTimeout(resolve, 2000));
      },
    });
    const processor = new EventProcessor(registry, { handlerTimeoutMs: 5000 });
    const started = performance.now();
    const answer = await processor.processEvent(request('slow'), { deadline: Date.now() + 50 });
    expect(answer).toMatchObject({ name: 'slow:error', payload: { code: 'DEADLINE_EXCEEDED' } });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(signal?.aborted).toBe(true);
  });

  it('keeps HANDLER_TIMEOUT when its own timeout ends first, and aborts a signal asked for later', async () => {
    let context: HandlerContext | undefined;
    const registry = new EventRegistry().register({
      name: 'slow',
      handler: async (_event, handlerContext) => {
        context = handlerContext;
        await new Promise((resolve) => setTimeout(resolve, 500));
      },
    });
    const processor = new EventProcessor(registry, { handlerTimeoutMs: 30 });
    const answer = await processor.processEvent(request('slow'), { deadline: Date.now() + 5000 });
    expect(answer).toMatchObject({ payload: { code: 'HANDLER_TIMEOUT', parameters: { timeoutMs: 30 } } });
    expect(context?.signal.aborted).toBe(true);
  });

  it('tells the handler and its flow context the earlier of deadline and timeout', async () => {
    useEventContext(); // as an EventClient in the process would
    const seen: { context: number; flow: number | undefined }[] = [];
    const registry = new EventRegistry().register({
      name: 'look',
      handler: (_event, context) => {
        seen.push({ context: context.deadline, flow: currentEventContext()?.deadline });
        return context.signal.aborted;
      },
    });
    const processor = new EventProcessor(registry, { handlerTimeoutMs: 10_000 });
    const deadline = Date.now() + 1000;
    const answer = await processor.processEvent(request('look'), { deadline });
    expect(seen).toEqual([{ context: deadline, flow: deadline }]);
    expect(answer.payload).toBe(false);

    const before = Date.now();
    await processor.processEvent(request('look'));
    expect(seen[1]?.context).toBeGreaterThanOrEqual(before + 10_000);
  });
});

describe('EventProcessor in-flight limit', () => {
  it('answers OVERLOADED past the limit, and accepts again once events finish', async () => {
    const gate = deferred();
    const registry = new EventRegistry()
      .register({ name: 'wait', handler: () => gate.promise })
      .register({ name: 'quick', handler: () => 'ok' });
    const processor = new EventProcessor(registry, { maxInFlight: 2 });
    const waiting = [processor.processEvent(request('wait')), processor.processEvent(request('wait'))];
    expect(processor.inFlight).toBe(2);
    const refused = await processor.processEvent(request('quick'));
    expect(refused).toMatchObject({
      name: 'quick:error',
      payload: { code: 'OVERLOADED', parameters: { maxInFlight: 2 } },
    });
    gate.release();
    const answers: ResponseEvent[] = await Promise.all(waiting);
    expect(answers.map((answer) => answer.name)).toEqual(['wait:response', 'wait:response']);
    expect(processor.inFlight).toBe(0);
    expect(await processor.processEvent(request('quick'))).toMatchObject({ name: 'quick:response', payload: 'ok' });
  });

  it('counts an event out when its handler throws, synchronously or not', async () => {
    const registry = new EventRegistry()
      .register({
        name: 'throws',
        handler: () => {
          throw new Error('boom');
        },
      })
      .register({ name: 'rejects', handler: () => Promise.reject(new Error('boom')) });
    const processor = new EventProcessor(registry, { maxInFlight: 1 });
    for (const name of ['throws', 'rejects', 'throws', 'rejects']) {
      expect((await processor.processEvent(request(name))).payload).toMatchObject({ code: 'UNHANDLED_ERROR' });
    }
    expect(processor.inFlight).toBe(0);
  });
});
