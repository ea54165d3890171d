import { JsonNumberError, readJson } from '@events-protocol/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
// The two ways readJson reads text that may hold unusual numbers are internals of core, imported
// from their own files: the package exports only readJson, which takes one of them.
import { parseJsonWithOwnParser } from '../../packages/core/src/own-json-parser.js';
import { jsonParseHasSourceText, parseJsonWithSourceText } from '../../packages/core/src/source-text-json-parser.js';

// On every runtime: our own parser against JSON.parse and against the number rule written out
// apart. Where JSON.parse gives revivers source text (Node 22+, Bun, Deno): the source-text path
// against our own parser, value for value (bigint, -0, key order, "__proto__") and refusal for
// refusal (class and message), on generated documents and on broken ones.

const digitCharacters = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
const digits = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...digitCharacters), minLength: min, maxLength: max });
const leadingDigit = fc.constantFrom(...digitCharacters.slice(1));
const sign = fc.constantFrom('', '-');

const integerLiteral = fc.oneof(
  fc.tuple(sign, leadingDigit, digits(0, 24)).map(([s, first, rest]) => s + first + rest),
  fc.constantFrom('0', '-0'),
  // Around the edges of the safe range and of 64 bits.
  fc
    .tuple(fc.constantFrom(2n ** 53n, 2n ** 63n, 2n ** 64n, 10n ** 16n), fc.integer({ min: -3, max: 3 }), sign)
    .map(([edge, offset, s]) => s + String(edge + BigInt(offset))),
);

const decimalLiteral = fc
  .tuple(
    sign,
    fc.oneof(
      fc.constant('0'),
      fc.tuple(leadingDigit, digits(0, 20)).map(([a, b]) => a + b),
    ),
    fc.option(digits(1, 20), { nil: undefined }),
    fc.option(fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), digits(1, 4)), { nil: undefined }),
  )
  .filter(([, , fraction, exponent]) => fraction !== undefined || exponent !== undefined)
  .map(
    ([s, whole, fraction, exponent]) =>
      s + whole + (fraction === undefined ? '' : `.${fraction}`) + (exponent === undefined ? '' : exponent.join('')),
  );

const edgeLiteral = fc.constantFrom(
  '1e400',
  '-1E+400',
  '1e-400',
  '0e-999',
  '-0.0e5',
  '0.000E+999',
  '5e-324',
  '2e-324',
  '3e-324',
  '2.4703282292062328e-324',
  '2.4703282292062327e-324',
  '1.7976931348623157e308',
  '1.7976931348623158e308',
  '1.797693134862316e308',
  '9007199254740993.0',
  '1e20',
  // No three-digit exponent, yet beyond a double: 309 digits, or 330 zeros after the point.
  `1${'0'.repeat(308)}.5`,
  `1${'0'.repeat(300)}e9`,
  `0.${'0'.repeat(330)}1`,
  `-0.${'0'.repeat(250)}1e-80`,
  `0.${'0'.repeat(330)}`,
);

const numberLiteral = fc.oneof(
  integerLiteral,
  decimalLiteral,
  edgeLiteral,
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
);

const stringLiteral = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 8 }).map((text) => JSON.stringify(text)),
  digits(16, 30).map((text) => `"${text}"`),
  fc.constantFrom('"1e400"', '"\\ud800"', '"\\ud83d\\ude00"', '"caf\\u00e9"', '"\\"\\\\\\/\\b\\f\\n\\r\\t"', '"😀é"'),
);

const key = fc.oneof(
  stringLiteral,
  fc.constantFrom('"__proto__"', '"\\u005f_proto__"', '"constructor"', '"prototype"', '"0"', '"1"', '"10"', '"a"'),
);

const whitespace = fc.constantFrom('', '', ' ', '\n', '\t', '\r\n  ');

const { document } = fc.letrec((tie) => ({
  document: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    numberLiteral,
    stringLiteral,
    fc.constantFrom('true', 'false', 'null'),
    tie('array'),
    tie('object'),
  ),
  array: fc
    .tuple(whitespace, fc.array(tie('document'), { maxLength: 5 }))
    .map(([space, items]) => `[${space}${items.join(`${space},${space}`)}${space}]`),
  object: fc
    .tuple(whitespace, fc.array(fc.tuple(key, tie('document')), { maxLength: 5 }))
    .map(
      ([space, entries]) =>
        `{${space}${entries.map(([name, value]) => `${name}${space}:${space}${value}`).join(`,${space}`)}${space}}`,
    ),
})) as { document: fc.Arbitrary<string> };

/** A document broken (or not) by one edit: a character dropped, added, or the rest cut off. */
const brokenDocument = fc
  .tuple(
    document,
    fc.nat(),
    fc.constantFrom('drop', 'insert', 'cut'),
    fc.constantFrom(',', ':', '[', ']', '{', '}', '"', '\\', 'e', '-', '+', '.', '0', ' ', 'x', '\u0001'),
  )
  .map(([text, at, edit, character]) => {
    const index = at % (text.length + 1);
    if (edit === 'drop') return text.slice(0, index) + text.slice(index + 1);
    if (edit === 'cut') return text.slice(0, index);
    return text.slice(0, index) + character + text.slice(index);
  });

/** The outcome of reading, as text that differs for any difference: values, -0, bigint, keys, prototypes. */
function outcome(read: (text: string) => unknown, text: string): string {
  try {
    return canonical(read(text));
  } catch (error) {
    return error instanceof Error ? `throws ${error.constructor.name}: ${error.message}` : 'throws a non-error';
  }
}

function canonical(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    const prototype = Object.getPrototypeOf(value) === Array.prototype ? '' : '(prototype changed)';
    return `${prototype}[${value.map(canonical).join(',')}]`;
  }
  if (typeof value === 'object') {
    const prototype = Object.getPrototypeOf(value) === Object.prototype ? '' : '(prototype changed)';
    const properties = Reflect.ownKeys(value).map((name) => {
      const property = Object.getOwnPropertyDescriptor(value, name)!;
      const plain = property.writable === true && property.enumerable === true && property.configurable === true;
      return `${JSON.stringify(String(name))}${plain ? '' : '(not plain)'}:${canonical(property.value)}`;
    });
    return `${prototype}{${properties.join(',')}}`;
  }
  return `(a ${typeof value})`;
}

/** What the number rule says of one literal, written out apart from both parsers. */
function expectedNumber(literal: string): number | bigint | 'refused' {
  if (!/[.eE]/.test(literal)) {
    const integer = BigInt(literal);
    const safe = integer <= BigInt(Number.MAX_SAFE_INTEGER) && integer >= -BigInt(Number.MAX_SAFE_INTEGER);
    return safe ? Number(literal) : integer;
  }
  const number = Number(literal);
  const allZeroDigits = /^-?[0.]*(?:[eE]|$)/.test(literal);
  return Number.isFinite(number) && (number !== 0 || allZeroDigits) ? number : 'refused';
}

const runs = { numRuns: 3000 };

describe('readJson by property: our own parser', () => {
  it('follows the number rule for every literal', () => {
    fc.assert(
      fc.property(numberLiteral, (literal) => {
        const expected = expectedNumber(literal);
        const read = outcome(parseJsonWithOwnParser, `[${literal}]`);
        if (expected === 'refused') expect(read, literal).toMatch(/^throws JsonNumberError: The number /);
        else expect(read, literal).toBe(`[${canonical(expected)}]`);
      }),
      runs,
    );
  }, 120_000);

  it('reads every document as JSON.parse does, but for integers beyond the safe range', () => {
    fc.assert(
      fc.property(document, (text) => {
        let own: unknown;
        try {
          own = parseJsonWithOwnParser(text);
        } catch (error) {
          // Only for a number a double cannot hold, where JSON.parse gives Infinity or 0.
          expect(error, text).toBeInstanceOf(JsonNumberError);
          return;
        }
        expect(canonical(bigintsAsDoubles(own)), text).toBe(canonical(JSON.parse(text)));
      }),
      runs,
    );
  }, 120_000);

  it('refuses exactly the broken documents JSON.parse refuses, or refuses a number before the break', () => {
    fc.assert(
      fc.property(brokenDocument, (text) => {
        const native = outcome(JSON.parse, text);
        const own = outcome(parseJsonWithOwnParser, text);
        if (native.startsWith('throws SyntaxError')) expect(own, text).toMatch(/^throws (SyntaxError|JsonNumberError)/);
        else expect(own.startsWith('throws') ? own : 'read', text).toMatch(/^(read|throws JsonNumberError)/);
      }),
      runs,
    );
  }, 120_000);

  it('agrees with readJson, which reads ordinary text with plain JSON.parse', () => {
    fc.assert(
      fc.property(fc.oneof(document, brokenDocument), (text) => {
        const own = outcome(parseJsonWithOwnParser, text);
        const read = outcome(readJson, text);
        // The plain JSON.parse path words its SyntaxErrors its own way.
        if (read.startsWith('throws SyntaxError')) expect(own, text).toMatch(/^throws SyntaxError/);
        else expect(read, text).toBe(own);
      }),
      runs,
    );
  }, 120_000);
});

describe.runIf(jsonParseHasSourceText)('readJson by property: the source-text path against our own parser', () => {
  it('gives the same value for every document', () => {
    fc.assert(
      fc.property(document, (text) => {
        expect(outcome(parseJsonWithSourceText, text), text).toBe(outcome(parseJsonWithOwnParser, text));
      }),
      runs,
    );
  }, 120_000);

  it('gives the same value or the same refusal (class and message) for every broken document', () => {
    fc.assert(
      fc.property(brokenDocument, (text) => {
        expect(outcome(parseJsonWithSourceText, text), text).toBe(outcome(parseJsonWithOwnParser, text));
      }),
      runs,
    );
  }, 120_000);

  it('is the path readJson takes for text that may hold an unusual number', () => {
    fc.assert(
      fc.property(document, (text) => {
        expect(outcome(readJson, text), text).toBe(outcome(parseJsonWithSourceText, text));
      }),
      runs,
    );
  }, 120_000);
});

/** A copy with each bigint as the double JSON.parse reads its digits as; own keys kept as they are. */
function bigintsAsDoubles(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(bigintsAsDoubles);
  if (typeof value !== 'object' || value === null) return value;
  const copy = {};
  for (const [name, item] of Object.entries(value)) {
    Object.defineProperty(copy, name, {
      value: bigintsAsDoubles(item),
      writable: true,
      enumerable: true,
      configurable: true,
    });
  }
  return copy;
}
