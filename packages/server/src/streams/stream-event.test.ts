import { describe, expect, it } from 'vitest';
import { readStreamEvent } from './stream-event.js';

describe('readStreamEvent', () => {
  it('reads an event as the sinks write it, 64-bit integers exact, keyed by name, version and id', () => {
    const read = readStreamEvent(
      '{"name":"order:placed","version":2,"id":"e-1","flowId":"f-1","payload":{"n":65484548474984654},"identity":{},"auth":{},"metadata":{}}',
    );
    expect(read.key).toBe('order:placed\n2\ne-1');
    expect((read.input as { payload: { n: unknown } }).payload.n).toBe(65484548474984654n);
  });

  it('turns a structured JSON CloudEvent back into the event it was made from', () => {
    const read = readStreamEvent(
      JSON.stringify({
        specversion: '1.0',
        id: 'e-2',
        source: '/orders',
        type: 'order:placed',
        subject: 'orders',
        time: '2026-12-01T00:00:00.000Z',
        data: { total: 3 },
        flowid: 'f-2',
        eventversion: 3,
      }),
    );
    expect(read.key).toBe('order:placed\n3\ne-2');
    expect(read.input).toEqual({
      name: 'order:placed',
      version: 3,
      id: 'e-2',
      flowId: 'f-2',
      payload: { total: 3 },
      identity: {},
      auth: {},
      metadata: { source: '/orders', subject: 'orders', createdAt: '2026-12-01T00:00:00.000Z' },
    });
  });

  it('gives text that is no event to the processor as it is, with no key', () => {
    expect(readStreamEvent('not json')).toEqual({ input: 'not json', key: undefined });
    expect(readStreamEvent('[1]')).toEqual({ input: [1], key: undefined });
    expect(readStreamEvent('{"name":"x","version":1}').key).toBeUndefined();
  });
});
