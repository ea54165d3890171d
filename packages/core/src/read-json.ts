/**
 * Reading JSON without corrupting numbers. JVM services send integers beyond ±2^53 that
 * `JSON.parse` would round silently; those are read as `bigint`. A number no double can hold
 * (`1e400` overflows to Infinity, `1e-400` underflows to 0) is refused rather than changed.
 * Ordinary text, with no run of 16 or more digits and no exponent of three digits, keeps the
 * fast native path: only such text can hold either.
 */

import { parseJsonWithOwnParser } from './own-json-parser.js';
import { JsonDepthError } from './json-read-errors.js';
import { jsonParseHasSourceText, parseJsonWithSourceText } from './source-text-json-parser.js';

export { JsonDepthError, JsonNumberError } from './json-read-errors.js';

/**
 * How text that may hold an unusual number is read: `JSON.parse` with a reviver given each
 * number's source text where the runtime has that (Node 22+, Bun, Deno, Chromium), our own parser
 * elsewhere (Node 20). Both give the same values and the same refusals.
 */
const readUnusualJson = jsonParseHasSourceText ? parseJsonWithSourceText : parseJsonWithOwnParser;

/** The deepest nesting of arrays and objects read by default: 512 levels. */
export const defaultMaxJsonDepth = 512;

/** How {@link readJson} reads. */
export interface ReadJsonOptions {
  /** The deepest nesting of arrays and objects accepted; {@link defaultMaxJsonDepth} by default. */
  maxDepth?: number;
}

/**
 * Parses JSON text like `JSON.parse`, except that integers outside the safe range become `bigint`,
 * numbers a double cannot hold are refused, and documents nested deeper than `maxDepth` are
 * refused (they would overflow the stack of whatever walks them next: validation, logging,
 * serialisation). Other numbers read as the nearest double, as `JSON.parse` reads them; `-0`
 * reads as negative zero, which is the same numeric value as `0` (and is written back as `0`).
 *
 * @throws {SyntaxError} when the text is not JSON; {@link JsonDepthError} when it is nested too
 * deep; {@link JsonNumberError} for a number beyond a double's range (`1e400`) or a non-zero one
 * that would round to zero (`1e-400`).
 */
export function readJson(text: string, options?: ReadJsonOptions): unknown {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const maxDepth = options?.maxDepth ?? defaultMaxJsonDepth;
  // Each level takes two characters at least: short texts cannot be too deep, and skip the scan.
  if (source.length > maxDepth * 2 && exceedsDepth(source, maxDepth)) {
    throw new JsonDepthError(`JSON nested deeper than ${maxDepth} levels`);
  }
  return mayHoldUnusualNumber(source) ? readUnusualJson(source) : JSON.parse(source);
}

/**
 * A number token with a three-digit exponent. A JSON number starts the text or follows white
 * space, `:`, `,` or `[`, so hexadecimal inside a string (a UUID's `…-3e456…`) is not taken for
 * one; a string that happens to hold `: 1e400` is, which costs only the slower read. The
 * exponent comes first and the token before it is a lookbehind: tried only where an `e` is,
 * instead of from every `:`, `,` and space, it takes about three quarters of the time.
 */
const threeDigitExponent = /[eE][+-]?\d{3}(?<=(?:^|[\s:,[])-?\d+(?:\.\d+)?[eE][+-]?\d{3})/;
const longDigitRun = 16;

/**
 * Whether text may hold a number `JSON.parse` would change: one with a run of 16 or more digits
 * (found without a RegExp tried at every digit), or a number token with a three-digit exponent.
 * It may say yes of text without such a number (digits inside a string); never no of text with one.
 */
export function mayHoldUnusualNumber(text: string): boolean {
  return hasLongDigitRun(text) || threeDigitExponent.test(text);
}

const isDigitAt = (text: string, index: number): boolean => (text.charCodeAt(index) - 0x30) >>> 0 <= 9;

/**
 * Whether text has 16 digits in a row. It looks at every 16th character only (each such run
 * holds one), and measures the run around a digit it finds.
 */
function hasLongDigitRun(text: string): boolean {
  for (let probe = longDigitRun - 1; probe < text.length; probe += longDigitRun) {
    if (!isDigitAt(text, probe)) continue;
    let start = probe;
    while (start > 0 && isDigitAt(text, start - 1)) start--;
    let end = probe + 1;
    while (end < text.length && isDigitAt(text, end)) end++;
    if (end - start >= longDigitRun) return true;
    // The next run starts after `end`: its 16th character is at `end + 16` or later.
    probe = end;
  }
  return false;
}

/** Decodes a body as UTF-8 (whatever charset it claims) and parses it with {@link readJson}. */
export function readJsonBody(body: string | Uint8Array, options?: ReadJsonOptions): unknown {
  return readJson(typeof body === 'string' ? body : decodeUtf8(body), options);
}

/** A Buffer decodes itself; a view of another array first gets a Buffer over its bytes, not a copy. */
function decodeUtf8(bytes: Uint8Array): string {
  const buffer = bytes instanceof Buffer ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return buffer.toString('utf8');
}

function exceedsDepth(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === 0x5c) index++;
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) {
      inString = true;
    } else if (code === 0x5b || code === 0x7b) {
      if (++depth > maxDepth) return true;
    } else if (code === 0x5d || code === 0x7d) {
      depth--;
    }
  }
  return false;
}
