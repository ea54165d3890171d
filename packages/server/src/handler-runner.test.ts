import { EventBuilder } from '@events-protocol/core';
import { describe, expect, it } from 'vitest';
import { handlerRegistration } from './handler-registration.js';
import { HandlerRunner } from './handler-runner.js';
import { resolveProcessorOptions } from './processor-options.js';

const event = () => EventBuilder.request({ name: 'work', payload: null });

describe('HandlerRunner', () => {
  it('answers synchronously when the handler is', () => {
    const runner = new HandlerRunner(resolveProcessorOptions({}));
    const answer = runner.run(handlerRegistration({ name: 'work', handle: () => 'now' }), event(), undefined);
    expect(answer).toMatchObject({ name: 'work:response', payload: 'now' });
  });

  it('refuses an event whose deadline passed on arrival without running it', () => {
    let ran = false;
    const runner = new HandlerRunner(resolveProcessorOptions({}));
    const registration = handlerRegistration({ name: 'work', handle: () => (ran = true) });
    expect(runner.run(registration, event(), Date.now() - 1)).toMatchObject({
      payload: { code: 'DEADLINE_EXCEEDED' },
    });
    expect(ran).toBe(false);
  });

  it('counts events in flight until they settle, and refuses past the limit', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const runner = new HandlerRunner(resolveProcessorOptions({ maxInFlight: 1 }));
    const waiting = runner.run(handlerRegistration({ name: 'work', handle: () => gate }), event(), undefined);
    expect(runner.inFlight).toBe(1);
    expect(runner.run(handlerRegistration({ name: 'work', handle: () => 'x' }), event(), undefined)).toMatchObject({
      payload: { code: 'OVERLOADED', parameters: { maxInFlight: 1 } },
    });
    release();
    expect(await waiting).toMatchObject({ name: 'work:response' });
    expect(runner.inFlight).toBe(0);
  });

  it('validates the payload before the handler runs, and hands it the parsed value', async () => {
    const { z } = await import('zod');
    const runner = new HandlerRunner(resolveProcessorOptions({}));
    const registration = handlerRegistration({
      name: 'work',
      payload: z.object({ count: z.coerce.number() }),
      handle: (received) => received.payload,
    });
    const good = { ...event(), payload: { count: '3' } };
    expect(runner.run(registration, good, undefined)).toMatchObject({ payload: { count: 3 } });
    const bad = { ...event(), payload: { count: 'many' } };
    expect(runner.run(registration, bad, undefined)).toMatchObject({ name: 'work:badRequest' });
  });

  it('uses the handler timeout of the registration over the default', async () => {
    const runner = new HandlerRunner(resolveProcessorOptions({ handlerTimeoutMs: 60_000 }));
    const registration = handlerRegistration({
      name: 'work',
      timeoutMs: 15,
      handle: () => new Promise(() => undefined),
    });
    expect(await runner.run(registration, event(), undefined)).toMatchObject({
      payload: { code: 'HANDLER_TIMEOUT', parameters: { timeoutMs: 15 } },
    });
  });
});
