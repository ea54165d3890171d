import { readJson } from '@events-protocol/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
// The scan and the parsers readJson falls back to are internals of core, imported from their files.
import { parseJsonWithOwnParser } from '../../packages/core/src/own-json-parser.js';
import { mayHoldUnusualNumber } from '../../packages/core/src/read-json.js';
import { jsonParseHasSourceText, parseJsonWithSourceText } from '../../packages/core/src/source-text-json-parser.js';
import { brokenDocument, document } from './json-documents.js';
import { outcome } from './json-outcome.js';

// readJson's scan for text that may hold an unusual number looks at every 16th character for a
// digit run instead of running a RegExp from every digit, and takes a three-digit exponent only in
// a number token (not in a string's hexadecimal). Held here against the RegExp it replaced: never
// more than it, and never less for any number token; readJson against the reading it defined.
const unusualNumberPattern = /\d{16}|\d[eE][+-]?\d{3}/;
const stringLiteral = /"(?:[^"\\]|\\.)*"/g;
const readUnusual = jsonParseHasSourceText ? parseJsonWithSourceText : parseJsonWithOwnParser;

function readByPattern(text: string): unknown {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return unusualNumberPattern.test(source) ? readUnusual(source) : JSON.parse(source);
}

/** Text made mostly of digit runs of every length, around the scan's 16-character stride. */
const digitHeavyText = fc
  .array(
    fc.oneof(
      fc.string({ unit: fc.constantFrom('0', '1', '9'), minLength: 1, maxLength: 40 }),
      fc.constantFrom('"', ',', '.', 'e', 'E', '-', '+', 'x', ' ', '\u00e9', '\u{1f600}'),
    ),
    { maxLength: 30 },
  )
  .map((parts) => parts.join(''));

const runs = { numRuns: 5000 };

describe('readJson by property: the strided scan', () => {
  it('says yes only where the RegExp says yes, and always to a run of 16 digits', () => {
    fc.assert(
      fc.property(fc.oneof(digitHeavyText, fc.string(), document), (text) => {
        if (mayHoldUnusualNumber(text)) expect(unusualNumberPattern.test(text), text).toBe(true);
        if (/\d{16}/.test(text)) expect(mayHoldUnusualNumber(text), text).toBe(true);
      }),
      runs,
    );
  }, 120_000);

  it('says yes to every document whose numbers the RegExp flags, strings aside', () => {
    fc.assert(
      fc.property(document, (text) => {
        const numbersOnly = text.replace(stringLiteral, '""');
        if (unusualNumberPattern.test(numbersOnly)) expect(mayHoldUnusualNumber(text), text).toBe(true);
      }),
      runs,
    );
  }, 120_000);

  it('does not take the hexadecimal of an id for an exponent', () => {
    const answer = '{"id":"0193e456-5b1c-7d45-9a41-2c8d5e7f9b13","flowId":"b2e4d6f8-1a3c-4e5f-8a9b-0c1d2e3f4a5b"}';
    expect(unusualNumberPattern.test(answer)).toBe(true);
    expect(mayHoldUnusualNumber(answer)).toBe(false);
    for (const number of ['1e400', '-1E-400', '2.5e+308', '0.1e0400']) {
      for (const before of ['[', ' ', ',', ':', '\n']) {
        expect(
          mayHoldUnusualNumber(`{"a"${before === ':' ? '' : ':['}${before}${number}${before === ':' ? '' : ']'}}`),
        ).toBe(true);
      }
      expect(mayHoldUnusualNumber(number), number).toBe(true);
    }
  });

  it('leaves readJson reading every document as the RegExp made it read: the same value or refusal', () => {
    fc.assert(
      fc.property(document, (text) => {
        expect(outcome(readJson, text), text).toBe(outcome(readByPattern, text));
      }),
      { numRuns: 3000 },
    );
  }, 120_000);

  it('refuses every broken document the old reading refused (the parser that says why may differ)', () => {
    fc.assert(
      fc.property(brokenDocument, (text) => {
        const refused = (read: (text: string) => unknown): boolean => outcome(read, text).startsWith('throws ');
        expect(refused(readJson), text).toBe(refused(readByPattern));
      }),
      { numRuns: 3000 },
    );
  }, 120_000);
});
