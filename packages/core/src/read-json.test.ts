import { describe, expect, it } from 'vitest';
import { JsonNumberError, mayHoldUnusualNumber, readJson, readJsonBody } from './read-json.js';
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

  it('decodes only the bytes of a view, a Buffer or a plain Uint8Array inside a larger array', () => {
    const bytes = new TextEncoder().encode('xx{"name":"café"}yy');
    const view = new Uint8Array(bytes.buffer, 2, bytes.length - 4);
    expect(view).not.toBeInstanceOf(Buffer);
    expect(readJsonBody(view)).toEqual({ name: 'café' });
    expect(readJsonBody(Buffer.from(bytes.buffer, 2, bytes.length - 4))).toEqual({ name: 'café' });
  });

  it('refuses numbers a double cannot hold, naming the number, in any position', () => {
    for (const text of ['1e400', '-1E+400', '{"a":[1,1e-400]}', '-2e-324', '0.00001e-320', '1.5e999999999']) {
      expect(() => readJson(text), text).toThrow(JsonNumberError);
    }
    expect(() => readJson('{"n":1e400}')).toThrow(/1e400 is beyond the range of a double/);
    expect(() => readJson('[1e-400]')).toThrow(/1e-400 is too close to zero/);
  });

  it('reads the extremes a double holds, zeros with any exponent, and -0 as negative zero', () => {
    expect(readJson('[1.7976931348623157e308,5e-324,0e-999,0.0E+999,-0]')).toEqual([
      1.7976931348623157e308, 5e-324, 0, 0, -0,
    ]);
    expect(writeJson(readJson('-0'))).toBe('0');
  });

  it('keeps exponent-like text inside strings as text', () => {
    expect(readJson('{"code":"9e999","file":"v1e100"}')).toEqual({ code: '9e999', file: 'v1e100' });
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

describe('the scan for text that may hold an unusual number', () => {
  it('finds a run of 16 digits wherever it starts, and no shorter run', () => {
    for (let offset = 0; offset < 40; offset++) {
      const padding = 'x'.repeat(offset);
      expect(mayHoldUnusualNumber(`${padding}${'7'.repeat(16)}"`), `16 digits at ${offset}`).toBe(true);
      expect(mayHoldUnusualNumber(`${padding}${'7'.repeat(15)}"`), `15 digits at ${offset}`).toBe(false);
      // Two runs of 15 split by one character, across the stride: still no run of 16.
      expect(mayHoldUnusualNumber(`${padding}${'7'.repeat(15)}.${'7'.repeat(15)}`), `split at ${offset}`).toBe(false);
    }
  });

  it('finds a three-digit exponent after a digit, with or without a sign', () => {
    expect(mayHoldUnusualNumber('[1e400]')).toBe(true);
    expect(mayHoldUnusualNumber('[1E-400]')).toBe(true);
    expect(mayHoldUnusualNumber('[1e+40]')).toBe(false);
    expect(mayHoldUnusualNumber('["e400"]')).toBe(false);
  });

  it('sends integers beyond 2^53 to the exact path wherever they sit in the text', () => {
    for (let offset = 0; offset < 20; offset++) {
      expect(readJson(`{"${'k'.repeat(offset)}":9007199254740993}`)).toEqual({
        ['k'.repeat(offset)]: 9007199254740993n,
      });
    }
  });
});
