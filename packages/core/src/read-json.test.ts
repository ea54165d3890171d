import { describe, expect, it } from 'vitest';
import { readJson, readJsonBody } from './read-json.js';
import { writeJson } from './write-json.js';

describe('readJson', () => {
  it('reads ordinary JSON through the native parser', () => {
    expect(readJson('{"a":[1,2.5,-3e2,true,false,null,"x\\u00e9\\n"]}')).toEqual({
      a: [1, 2.5, -300, true, false, null, 'xé\n'],
    });
  });

  it('reads integers beyond 2^53 as bigint, keeping every digit', () => {
    const value = readJson('{"id":65484548474984654,"neg":-9223372036854775808,"small":1,"float":1.5}') as Record<
      string,
      unknown
    >;
    expect(value['id']).toBe(65484548474984654n);
    expect(value['neg']).toBe(-9223372036854775808n);
    expect(value['small']).toBe(1);
    expect(value['float']).toBe(1.5);
  });

  it('keeps safe 16-digit integers as numbers', () => {
    expect(readJson('[1234567890123456]')).toEqual([1234567890123456]);
  });

  it('treats long digit runs inside strings as text', () => {
    expect(readJson('{"phone":"12345678901234567890","n":2}')).toEqual({ phone: '12345678901234567890', n: 2 });
  });

  it('rejects what JSON.parse rejects, also on the big-integer path', () => {
    for (const text of [
      '',
      '{',
      '{"a":1,}',
      '[1 2]',
      '{"a" 1}',
      'nul',
      '{"a":12345678901234567890',
      '"\u0001"',
      '12345678901234567890 x',
    ]) {
      expect(() => readJson(text), text).toThrow();
    }
  });

  it('creates __proto__ as an own property, never as the prototype', () => {
    const value = readJson('{"__proto__":{"polluted":12345678901234567890}}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('strips a byte-order mark and decodes bytes as UTF-8', () => {
    expect(readJsonBody(Buffer.from('\ufeff{"name":"café"}', 'utf8'))).toEqual({ name: 'café' });
  });

  it('round-trips 64-bit integers through writeJson unaltered', () => {
    const text = '{"id":65484548474984654,"list":[-18446744073709551615,3],"s":"65484548474984654"}';
    expect(writeJson(readJson(text))).toBe(text);
  });
});

describe('writeJson', () => {
  it('writes values without bigints exactly like JSON.stringify', () => {
    const value = { a: 1, b: [null, 'x'], c: { d: true } };
    expect(writeJson(value)).toBe(JSON.stringify(value));
  });

  it('still throws for cycles', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect(() => writeJson(cyclic)).toThrow(TypeError);
  });
});
