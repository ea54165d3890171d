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
// digit run instead of running a RegExp from every digit. Held here against that RegExp, and
// readJson against the reading it defined.
const unusualNumberPattern = /\d{16}|\d[eE][+-]?\d{3}/;
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
  it('says what the RegExp says of any text', () => {
    fc.assert(
      fc.property(fc.oneof(digitHeavyText, fc.string(), document), (text) => {
        expect(mayHoldUnusualNumber(text), text).toBe(unusualNumberPattern.test(text));
      }),
      runs,
    );
  }, 120_000);

  it('leaves readJson reading every document as the RegExp made it read: same value, same refusal', () => {
    fc.assert(
      fc.property(fc.oneof(document, brokenDocument), (text) => {
        expect(outcome(readJson, text), text).toBe(outcome(readByPattern, text));
      }),
      { numRuns: 3000 },
    );
  }, 120_000);
});
