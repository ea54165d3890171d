import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readParsedRequestEvent, readRequestEvent } from '@events-protocol/core';

const jsonObject = fc.dictionary(fc.constantFrom('a', 'b', '__proto__', 'constructor', 'toJSON'), fc.jsonValue(), {
  maxKeys: 3,
});
const objectField = fc.oneof(jsonObject, fc.jsonValue(), fc.constant(undefined));
const parsedEvent = fc
  .record(
    {
      name: fc.oneof(fc.string(), fc.constant('user:get')),
      version: fc.oneof(fc.integer({ min: -1, max: 3 }), fc.double()),
      id: fc.string(),
      flowId: fc.string(),
      payload: fc.jsonValue(),
      identity: objectField,
      auth: objectField,
      metadata: objectField,
    },
    { requiredKeys: ['name', 'version', 'id', 'flowId'] },
  )
  // Through text, as the processor reads it: `__proto__` becomes an own key, as JSON.parse makes it.
  .map((event) => JSON.parse(JSON.stringify(event)) as unknown);

describe('readParsedRequestEvent', () => {
  it('reads every parsed value as readRequestEvent does', () => {
    fc.assert(
      fc.property(parsedEvent, fc.boolean(), (value, strict) => {
        expect(readParsedRequestEvent(value, { strict })).toStrictEqual(readRequestEvent(value, { strict }));
      }),
      { numRuns: 5000 },
    );
  });

  it('takes ordinary identity, auth and metadata objects as they are', () => {
    const value = JSON.parse(
      '{"name":"a","version":1,"id":"i","flowId":"f","identity":{"u":1},"auth":{},"metadata":{"o":"x"}}',
    ) as Record<string, unknown>;
    const read = readParsedRequestEvent(value);
    expect(read.ok && read.event.identity === value['identity'] && read.event.metadata === value['metadata']).toBe(
      true,
    );
    const copied = readRequestEvent(value);
    expect(copied.ok && copied.event.identity !== value['identity']).toBe(true);
  });

  it('still drops a __proto__ key, and copies objects of another prototype', () => {
    const value = JSON.parse(
      '{"name":"a","version":1,"id":"i","flowId":"f","identity":{"__proto__":{"x":1},"k":2}}',
    ) as Record<string, unknown>;
    const read = readParsedRequestEvent({ ...value, auth: Object.assign(Object.create(null) as object, { t: 1 }) });
    expect(read.ok && Object.keys(read.event.identity)).toEqual(['k']);
    expect(read.ok && Object.getPrototypeOf(read.event.auth)).toBe(Object.prototype);
  });
});
