import { describe, expect, it } from 'vitest';
import { JsonValueError } from './json-value-error.js';
import { readJson } from './read-json.js';
import { writeStrictJson } from './write-json.js';

function refusal(value: unknown): JsonValueError {
  try {
    writeStrictJson(value);
  } catch (error) {
    if (error instanceof JsonValueError) return error;
    throw error;
  }
  throw new Error('writeStrictJson accepted the value');
}

describe('writeStrictJson', () => {
  it('writes what JSON carries exactly like JSON.stringify, toJSON and omitted undefined properties included', () => {
    const value = {
      a: 1,
      b: [null, 'x', -0.5, true],
      c: { d: new Date(0), e: undefined },
      f: new Uint8Array([1, 2]),
      g: Object.create(null) as object,
    };
    expect(writeStrictJson(value)).toBe(JSON.stringify(value));
    expect(writeStrictJson(value, 2)).toBe(JSON.stringify(value, null, 2));
  });

  it('writes bigints with all their digits, as writeJson does', () => {
    const value = { id: 2n ** 64n + 1n, list: [-(2n ** 63n), 1n] };
    expect(writeStrictJson(value)).toBe('{"id":18446744073709551617,"list":[-9223372036854775808,1]}');
    expect(readJson(writeStrictJson(value))).toEqual({ id: 2n ** 64n + 1n, list: [-(2n ** 63n), 1] });
  });

  it('refuses what JSON would drop or change, naming the path of the value', () => {
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic['self'] = { again: [cyclic] };
    const cases: [value: unknown, message: string][] = [
      [{ payload: { items: [1, 2, () => 3] } }, 'payload.items[2] is a function'],
      [{ payload: { run() {} } }, 'payload.run is a function'],
      [{ payload: { tag: Symbol('t') } }, 'payload.tag is a symbol'],
      [{ payload: [1, undefined] }, 'payload[1] is undefined'],
      // eslint-disable-next-line no-sparse-arrays
      [{ payload: [1, , 3] }, 'payload[1] is undefined'],
      [{ payload: { n: NaN } }, 'payload.n is NaN'],
      [{ payload: { n: -Infinity } }, 'payload.n is -Infinity'],
      [{ payload: { 'odd key': [Infinity] } }, 'payload["odd key"][0] is Infinity'],
      [cyclic, 'self.again[0] is a circular reference'],
      [{ payload: new Map([['a', 1]]) }, 'payload is a Map'],
      [{ payload: { set: new Set([1]) } }, 'payload.set is a Set'],
      [{ payload: { n: Object(NaN) as object } }, 'payload.n is NaN'],
      [{ payload: { when: { toJSON: () => () => 1 } } }, 'payload.when is a function'],
      [undefined, 'the value is undefined'],
      [() => 1, 'the value is a function'],
    ];
    for (const [value, message] of cases) {
      const error = refusal(value);
      expect(error.message).toContain(message);
      expect(error.name).toBe('JsonValueError');
      expect(error).toBeInstanceOf(TypeError);
    }
    expect(refusal({ payload: { items: [1, 2, () => 3] } }).path).toEqual(['payload', 'items', 2]);
  });

  it('refuses a bigint inside a cycle or beside a function, like any other value', () => {
    expect(refusal({ id: 1n, f: () => 1 }).path).toEqual(['f']);
  });

  it('refuses a document nested deeper than the stack allows with a clear error', () => {
    let deep: unknown = 1;
    for (let level = 0; level < 100_000; level++) deep = [deep];
    expect(refusal(deep).message).toMatch(/nested too deep/);
  });
});
