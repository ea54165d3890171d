import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { definePublishedEvent, isPublishedEventContract, publishedEventContractOf } from './define-published-event.js';
import { isPublishedEventError } from './published-event-error.js';

const orderPlaced = definePublishedEvent({
  name: 'order:placed',
  version: 2,
  payload: z.object({ orderId: z.string(), total: z.number().nonnegative() }),
});

describe('definePublishedEvent', () => {
  it('creates a typed event with defaults and remembers its contract', () => {
    const event = orderPlaced.create({ orderId: 'o-1', total: 3 }, { metadata: { origin: 'shop' } });
    expect(event).toMatchObject({ name: 'order:placed', version: 2, payload: { orderId: 'o-1', total: 3 } });
    expect(event.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(event.metadata).toEqual({ origin: 'shop' });
    expect(Object.keys(event)).toEqual([
      'name',
      'version',
      'id',
      'flowId',
      'payload',
      'identity',
      'auth',
      'metadata',
      'createdAt',
    ]);
    expect(JSON.parse(JSON.stringify(event))).toEqual({ ...event });
    expect(publishedEventContractOf(event)).toBe(orderPlaced);
    expect(publishedEventContractOf({ ...event })).toBeUndefined();
  });

  it('refuses a payload that does not match, with issues naming the path', () => {
    let thrown: unknown;
    try {
      orderPlaced.create({ orderId: 'o-1', total: -1 });
    } catch (error) {
      thrown = error;
    }
    expect(isPublishedEventError(thrown)).toBe(true);
    if (!isPublishedEventError(thrown)) return;
    expect(thrown.code).toBe('INVALID_EVENT');
    expect(thrown.issues).toEqual([expect.objectContaining({ path: ['total'], code: 'too_small' })]);
    expect(thrown.message).toContain("'order:placed' version 2");
  });

  it('checks payloads without throwing', () => {
    expect(orderPlaced.check({ orderId: 'x', total: 1 })).toEqual({ valid: true, payload: { orderId: 'x', total: 1 } });
    const bad = orderPlaced.check({ orderId: 7 });
    expect(bad.valid).toBe(false);
    expect(bad.valid ? [] : bad.issues.map((issue) => issue.path)).toEqual([['orderId'], ['total']]);
  });

  it('refuses bad definitions', () => {
    expect(() => definePublishedEvent({ name: '', payload: z.null() })).toThrow(TypeError);
    expect(() => definePublishedEvent({ name: 'a', version: 0, payload: z.null() })).toThrow(/integer >= 1/);
    expect(() => definePublishedEvent({ name: 'a', payload: {} as never })).toThrow(/zod schema/);
    expect(isPublishedEventContract(orderPlaced)).toBe(true);
    expect(isPublishedEventContract({ name: 'a' })).toBe(false);
  });
});
