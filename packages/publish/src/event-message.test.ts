import { describe, expect, it } from 'vitest';
import { toPublishedEvent } from './published-event.js';
import type { PublishedEvent } from './sink.js';

describe('toPublishedEvent', () => {
  it('refuses what is not a message with a name, naming what is wrong', () => {
    expect(() => toPublishedEvent(null as never)).toThrow(/must be an object with a name, got null/);
    expect(() => toPublishedEvent({ payload: 1 } as never)).toThrow(/needs a name .*, got undefined/);
    expect(() => toPublishedEvent({ name: 'x', payload: 1, version: 1.5 })).toThrow(/version must be an integer/);
    expect(() => toPublishedEvent({ name: 'x', payload: 1, createdAt: new Date(Number.NaN) })).toThrow(/createdAt/);
  });

  it('keeps a whole event as it is and completes anything less', () => {
    const whole: PublishedEvent = {
      name: 'x',
      version: 1,
      id: 'i',
      flowId: 'f',
      payload: null,
      identity: {},
      auth: {},
      metadata: {},
      createdAt: '2026-01-02T03:04:05Z',
    };
    expect(toPublishedEvent(whole)).toBe(whole);
    const { flowId: _flowId, ...partial } = whole;
    const completed = toPublishedEvent(partial as never);
    expect(completed).toMatchObject({ id: 'i', createdAt: '2026-01-02T03:04:05.000Z' });
    expect(completed.flowId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
