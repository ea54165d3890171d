import { JsonValueError, readJson, writeJson, writeStrictJson } from '@events-protocol/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

describe('writeStrictJson, by property', () => {
  it('agrees with JSON.stringify on every value JSON carries exactly', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(writeStrictJson(value)).toBe(JSON.stringify(value));
      }),
      { numRuns: 2000 },
    );
  }, 60_000);

  it('refuses every value whose JSON text reads back as something else', () => {
    const bad = fc.oneof(
      fc.constant(undefined),
      fc.constant(NaN),
      fc.constant(Infinity),
      fc.constant(() => 1),
      fc.constant(Symbol('s')),
    );
    const holder = fc.tuple(fc.jsonValue(), bad, fc.nat(5)).map(([json, poison, index]) => {
      const list: unknown[] = Array.from({ length: 6 }, () => json);
      list[index] = poison;
      return { payload: list };
    });
    fc.assert(
      fc.property(holder, (value) => {
        expect(() => writeStrictJson(value)).toThrow(JsonValueError);
        // What the lenient writer gives instead is not what was there.
        expect(readJson(writeJson(value))).not.toEqual(value);
      }),
      { numRuns: 1000 },
    );
  }, 60_000);
});
