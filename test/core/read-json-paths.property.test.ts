import { JsonNumberError, readJson } from '@events-protocol/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
// The two ways readJson reads text that may hold unusual numbers are internals of core, imported
// from their own files: the package exports only readJson, which takes one of them.
import { parseJsonWithOwnParser } from '../../packages/core/src/own-json-parser.js';
import { jsonParseHasSourceText, parseJsonWithSourceText } from '../../packages/core/src/source-text-json-parser.js';
import { brokenDocument, document, numberLiteral } from './json-documents.js';
import { canonical, outcome } from './json-outcome.js';

// On every runtime: our own parser against JSON.parse and against the number rule written out
// apart. Where JSON.parse gives revivers source text (Node 22+, Bun, Deno): the source-text path
// against our own parser, value for value (bigint, -0, key order, "__proto__") and refusal for
// refusal (class and message), on generated documents and on broken ones.

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
