import { defaultMaxJsonDepth } from '@events-protocol/core';
import { describe, expect, it } from 'vitest';
import { silentLogger } from './event-logger.js';
import type { EventMiddleware } from './middleware.js';
import { MemoryReplayStore } from './memory-replay-store.js';
import { defaultHandlerTimeoutMs, defaultMaxInFlight, resolveProcessorOptions } from './processor-options.js';
import { isServerError } from './server-error.js';

describe('resolveProcessorOptions', () => {
  it('fills in every default', () => {
    expect(resolveProcessorOptions({})).toEqual({
      logger: silentLogger,
      handlerTimeoutMs: defaultHandlerTimeoutMs,
      maxInFlight: defaultMaxInFlight,
      strict: false,
      jsonOptions: { maxDepth: defaultMaxJsonDepth },
      middleware: [],
      flowContext: true,
      metrics: undefined,
      replay: undefined,
    });
    expect([defaultHandlerTimeoutMs, defaultMaxInFlight]).toEqual([10_000, 1000]);
  });

  it('keeps what it is given, and copies the middleware list', () => {
    const middleware: EventMiddleware[] = [(_event, _context, next) => next()];
    const resolved = resolveProcessorOptions({
      handlerTimeoutMs: 250,
      maxInFlight: 3,
      maxJsonDepth: 8,
      strict: true,
      flowContext: false,
      middleware,
    });
    expect(resolved).toMatchObject({
      handlerTimeoutMs: 250,
      maxInFlight: 3,
      jsonOptions: { maxDepth: 8 },
      strict: true,
      flowContext: false,
    });
    expect(resolved.middleware).toEqual(middleware);
    expect(resolved.middleware).not.toBe(middleware);
  });

  it('gives replay a lease of the handler timeout and a margin, and a memory store by default', () => {
    const resolved = resolveProcessorOptions({ handlerTimeoutMs: 2000, replay: {} });
    expect(resolved.replay?.leaseMs).toBe(7000);
    expect(resolved.replay?.retentionMs).toBe(24 * 60 * 60 * 1000);
    expect(resolved.replay?.store).toBeInstanceOf(MemoryReplayStore);
    const store = new MemoryReplayStore();
    expect(resolveProcessorOptions({ replay: { store, retentionMs: 60_000 } }).replay).toMatchObject({
      store,
      retentionMs: 60_000,
    });
  });

  it.each([
    ['handlerTimeoutMs', { handlerTimeoutMs: 0 }],
    ['handlerTimeoutMs', { handlerTimeoutMs: Number.NaN }],
    ['maxInFlight', { maxInFlight: -5 }],
    ['maxJsonDepth', { maxJsonDepth: 0 }],
  ])('refuses a %s that is not a positive number, with INVALID_OPTIONS', (name, options) => {
    let thrown: unknown;
    try {
      resolveProcessorOptions(options);
    } catch (error) {
      thrown = error;
    }
    expect(isServerError(thrown) && thrown.code).toBe('INVALID_OPTIONS');
    expect((thrown as Error).message).toContain(name);
  });
});
