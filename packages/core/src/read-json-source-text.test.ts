import { afterEach, describe, expect, it, vi } from 'vitest';
import { JsonNumberError } from './json-read-errors.js';
import { parseJsonWithOwnParser } from './own-json-parser.js';
import { readJson } from './read-json.js';
import { jsonParseHasSourceText, parseJsonWithSourceText } from './source-text-json-parser.js';

// Which runtimes give a reviver the source text: V8 from Node 22 (and Chromium), Bun, Deno.
const nodeMajor = Number(/^v(\d+)/.exec(process.version)?.[1]);
const runtimeHasSourceText = 'Bun' in globalThis || 'Deno' in globalThis || nodeMajor >= 22;

function refusalOf(read: (text: string) => unknown, text: string): unknown {
  try {
    read(text);
  } catch (error) {
    return error;
  }
  throw new Error(`${text} was read`);
}

describe('the source-text path of readJson', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it(`is detected on this runtime (${process.version}) exactly where it has JSON.parse source text`, () => {
    expect(jsonParseHasSourceText).toBe(runtimeHasSourceText);
  });

  it.runIf(runtimeHasSourceText)('is what readJson takes for text that may hold an unusual number', () => {
    const parse = vi.spyOn(JSON, 'parse');
    expect(readJson('{"id":65484548474984654}')).toEqual({ id: 65484548474984654n });
    expect(parse).toHaveBeenCalledTimes(1);
    expect(parse.mock.calls[0]?.[1]).toBeTypeOf('function');
    // Ordinary text keeps plain JSON.parse, with no reviver.
    expect(readJson('{"id":654845484749}')).toEqual({ id: 654845484749 });
    expect(parse).toHaveBeenCalledTimes(2);
    expect(parse.mock.calls[1]?.[1]).toBeUndefined();
  });

  it.runIf(!runtimeHasSourceText)('leaves readJson to our own parser where JSON.parse has no source text', () => {
    const parse = vi.spyOn(JSON, 'parse');
    expect(readJson('[65484548474984654, "x"]')).toEqual([65484548474984654n, 'x']);
    // Our own parser calls JSON.parse for each string's escapes only, never with a reviver.
    expect(parse.mock.calls.every((call) => call[1] === undefined)).toBe(true);
  });
});

describe.runIf(jsonParseHasSourceText)('parseJsonWithSourceText', () => {
  it('reads integers outside the safe range as bigint from their digits, and keeps the rest', () => {
    expect(
      parseJsonWithSourceText(
        '[9007199254740991,9007199254740992,-9007199254740993,18446744073709551615,1e20,1.5,0,-0,0.0,"9007199254740993"]',
      ),
    ).toStrictEqual([
      9007199254740991,
      9007199254740992n,
      -9007199254740993n,
      18446744073709551615n,
      1e20,
      1.5,
      0,
      -0,
      0,
      '9007199254740993',
    ]);
    expect(Object.is((parseJsonWithSourceText('[-0]') as number[])[0], -0)).toBe(true);
    expect(Object.is((parseJsonWithSourceText('[-0.0e5]') as number[])[0], -0)).toBe(true);
  });

  it('refuses numbers a double cannot hold with the error and message of our own parser', () => {
    for (const text of [
      '1e400',
      '{"a":[1,-1E+400]}',
      '[1e-400]',
      '2e-324',
      '-0.00001e-320',
      '{"x":"1e400","y":1e999}',
    ]) {
      const refusal = refusalOf(parseJsonWithSourceText, text);
      expect(refusal, text).toBeInstanceOf(JsonNumberError);
      expect(refusal, text).toEqual(refusalOf(parseJsonWithOwnParser, text));
    }
    expect(() => parseJsonWithSourceText('{"n":1e400}')).toThrow(
      'The number 1e400 is beyond the range of a double (at position 5)',
    );
    // Zeros with any exponent, and the extremes a double holds, are read.
    expect(parseJsonWithSourceText('[0e-999,0.000E+999,5e-324,1.7976931348623157e308]')).toStrictEqual([
      0, 0, 5e-324, 1.7976931348623157e308,
    ]);
  });

  it('refuses text that is not JSON with the SyntaxError of our own parser', () => {
    for (const text of ['[12345678901234567890', '{"a":12345678901234567890,}', '"\u0001" 1234567890123456']) {
      const refusal = refusalOf(parseJsonWithSourceText, text);
      expect(refusal, text).toBeInstanceOf(SyntaxError);
      expect(refusal, text).toEqual(refusalOf(parseJsonWithOwnParser, text));
    }
    // JSON.parse finds the syntax error first; our own parser refuses the number before it.
    expect(refusalOf(parseJsonWithSourceText, '[1e400 2]')).toEqual(refusalOf(parseJsonWithOwnParser, '[1e400 2]'));
    expect(refusalOf(parseJsonWithSourceText, '[1e400 2]')).toBeInstanceOf(JsonNumberError);
  });

  it('keeps "__proto__" an own property, never the prototype, as our own parser and JSON.parse do', () => {
    const text = '{"__proto__":{"polluted":12345678901234567890},"a":{"__proto__":12345678901234567891}}';
    const value = parseJsonWithSourceText(text) as Record<string, Record<string, unknown>>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['__proto__', 'a']);
    expect(Object.getOwnPropertyDescriptor(value, '__proto__')).toEqual({
      value: { polluted: 12345678901234567890n },
      writable: true,
      enumerable: true,
      configurable: true,
    });
    expect(Object.getOwnPropertyDescriptor(value['a'], '__proto__')?.value).toBe(12345678901234567891n);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(value).toStrictEqual(parseJsonWithOwnParser(text));
  });

  it('takes the last of duplicate keys, as our own parser does', () => {
    for (const text of [
      '{"a":12345678901234567890,"a":1}',
      '{"a":1,"a":12345678901234567890}',
      '{"a":[12345678901234567890],"a":{"b":12345678901234567891}}',
    ]) {
      expect(parseJsonWithSourceText(text), text).toStrictEqual(parseJsonWithOwnParser(text));
    }
  });

  it('refuses a number a double cannot hold under a key a later duplicate overrides, as our own parser does', () => {
    // JSON.parse revives only the last value of a key: such text is left to our own parser.
    for (const text of [
      '{"a":1e400,"a":0}',
      '{"a":[0.5e-999],"a":12345678901234567890}',
      `{"a":0.${'0'.repeat(330)}1,"a":1}`,
    ]) {
      expect(refusalOf(parseJsonWithSourceText, text), text).toEqual(refusalOf(parseJsonWithOwnParser, text));
      expect(refusalOf(parseJsonWithSourceText, text), text).toBeInstanceOf(JsonNumberError);
    }
  });
});
