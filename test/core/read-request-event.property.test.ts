import { readRequestEvent, requestEventSchema, strictRequestEventSchema } from '@events-protocol/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eventFieldNames, wellFormedEvent } from '../support/event-arbitraries.js';

// readRequestEvent answers well-formed events without the schema (its hot path); these properties
// hold it to exactly the schema's decision and output for every value, well-formed or not.

const fieldValue = fc.oneof(
  fc.string(),
  fc.constant(''),
  fc.integer({ min: -3, max: 3 }),
  fc.constantFrom(
    1,
    2,
    -0,
    0.5,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    Number.NaN,
    Number.MAX_SAFE_INTEGER + 1,
    2 ** 53,
  ),
  fc.constant(null),
  fc.constant(undefined),
  fc.boolean(),
  fc.array(fc.string(), { maxLength: 2 }),
  fc.dictionary(fc.constantFrom('a', '__proto__', 'constructor', 'prototype'), fc.jsonValue(), { maxKeys: 3 }),
  fc.jsonValue().map((value) => JSON.parse(`{"__proto__":${JSON.stringify(value)},"k":1}`) as unknown),
);

const validEvent = wellFormedEvent();

/** A valid event with some fields removed or replaced by anything, plus an unknown key now and then. */
const nearValidEvent = fc
  .tuple(
    validEvent,
    fc.array(fc.tuple(fc.constantFrom(...eventFieldNames), fc.option(fieldValue, { nil: undefined }), fc.boolean()), {
      maxLength: 3,
    }),
    fc.boolean(),
  )
  .map(([event, changes, extraKey]) => {
    const removed = new Set(changes.filter(([, , remove]) => remove).map(([field]) => field));
    const value: Record<string, unknown> = Object.fromEntries(
      Object.entries(event).filter(([field]) => !removed.has(field as (typeof eventFieldNames)[number])),
    );
    for (const [field, replacement, remove] of changes) if (!remove) value[field] = replacement;
    if (extraKey) value['extra'] = 'dropped';
    return value;
  });

const anyValue = fc.oneof(nearValidEvent, validEvent, fieldValue, fc.jsonValue());

function schemaDecision(value: unknown, strict: boolean) {
  const result = (strict ? strictRequestEventSchema : requestEventSchema).safeParse(value);
  return result.success ? { ok: true, event: result.data } : { ok: false };
}

function readDecision(value: unknown, strict: boolean) {
  const read = readRequestEvent(value, { strict });
  return read.ok ? { ok: true, event: read.event } : { ok: false };
}

// Budgeted by case count, not time: the limit is only there to end a hung run on a busy machine.
const propertyTimeoutMs = 180_000;

describe('readRequestEvent agrees with the request event schemas', () => {
  it.each([false, true])(
    'strict: %s',
    (strict) => {
      fc.assert(
        fc.property(anyValue, (value) => {
          expect(readDecision(value, strict)).toStrictEqual(schemaDecision(value, strict));
        }),
        { numRuns: 10_000 },
      );
    },
    propertyTimeoutMs,
  );

  it('never keeps a __proto__ key of identity, auth or metadata', () => {
    const read = readRequestEvent(
      JSON.parse('{"name":"a","version":1,"id":"i","flowId":"f","identity":{"__proto__":{"polluted":1},"user":"u"}}'),
    );
    expect(read.ok && Object.keys(read.event.identity)).toEqual(['user']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});
