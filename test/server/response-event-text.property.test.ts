import { writeJson } from '@events-protocol/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
// The template writer is an internal of the server, imported from its own file.
import { writeResponseEventJson } from '../../packages/server/src/response-event-text.js';

/** What writing gives, as comparable text: the JSON, or the class of what was thrown. */
function written(write: (answer: never) => string, answer: unknown): string {
  try {
    const output: unknown = write(answer as never);
    return typeof output === 'string' ? `text ${output}` : 'no text';
  } catch (error) {
    return `throws ${error instanceof Error ? error.constructor.name : typeof error}`;
  }
}

const text = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('', 'order:price:response', '\u2028"\\'),
);
/** Mostly what answers hold, sometimes what the template must leave to writeJson. */
const mostly = <T, U>(usual: fc.Arbitrary<T>, unusual: fc.Arbitrary<U>) =>
  fc.oneof({ weight: 6, arbitrary: usual }, { weight: 1, arbitrary: unusual });

const version = mostly(
  fc.integer({ min: 1, max: 1000 }),
  fc.constantFrom(-0, 0, 2 ** 53, 1.5, Number.NaN, Number.POSITIVE_INFINITY, undefined, '1', 1n),
);
const withToJson = fc.constantFrom(
  new Date(0),
  { toJSON: (key: string) => `key:${key}` },
  Object.assign(Object.create({ toJSON: (key: string) => `inherited:${key}` }) as object, { a: 1 }),
);
const payload = mostly(
  fc.oneof(
    fc.jsonValue(),
    fc.bigInt(),
    fc.dictionary(fc.string(), fc.oneof(fc.bigInt(), fc.jsonValue())),
    fc.jsonValue().map((value) => ({ nested: value, date: new Date(0) })),
  ),
  fc.oneof(
    fc.constantFrom(undefined, () => 1, Symbol('s'), Number.NaN),
    withToJson,
  ),
);
const objectField = mostly(
  fc.oneof({ weight: 3, arbitrary: fc.constant({}) }, fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 3 })),
  fc.oneof(fc.constantFrom(null, undefined, [], Object.create(null) as object, new Map()), withToJson),
);
const envelope = fc.record({
  name: mostly(text, fc.constantFrom(undefined, 5)),
  version,
  id: mostly(text, fc.constantFrom(undefined, null)),
  flowId: text,
  payload,
  identity: objectField,
  auth: objectField,
  metadata: objectField,
});

/** An envelope as built, or changed the ways a handler's own answer may differ from one. */
const answer = fc.oneof(
  { weight: 3, arbitrary: envelope },
  envelope.chain((fields) =>
    fc.shuffledSubarray(Object.keys(fields), { minLength: 1 }).map((keys) => {
      const reordered: Record<string, unknown> = {};
      for (const key of keys) reordered[key] = (fields as Record<string, unknown>)[key];
      return reordered;
    }),
  ),
  envelope.map((fields) => ({ ...fields, extra: 1 })),
  envelope.map((fields) => Object.assign(Object.create(null) as object, fields)),
  envelope.map((fields) => ({ ...fields, toJSON: () => 'replaced' })),
);

describe('the response event written from a template', () => {
  it('is byte for byte what writeJson writes, or the same refusal', () => {
    fc.assert(
      fc.property(answer, (value) => {
        expect(written(writeResponseEventJson, value)).toBe(written(writeJson, value));
      }),
      { numRuns: 5000 },
    );
  }, 120_000);

  it('writes a cycle in the payload as writeJson refuses it', () => {
    const payload: Record<string, unknown> = {};
    payload['self'] = payload;
    const cyclic = {
      name: 'a:response',
      version: 1,
      id: 'i',
      flowId: 'f',
      payload,
      identity: {},
      auth: {},
      metadata: {},
    };
    expect(() => writeResponseEventJson(cyclic)).toThrow(TypeError);
  });
});
