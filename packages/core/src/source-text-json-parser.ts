/**
 * Reading unusual numbers through `JSON.parse` itself, where the runtime hands a reviver the
 * source text of each primitive value (JSON.parse source text access: V8 in Node 22+ and
 * Chromium, JavaScriptCore in Bun, Deno). The reviver turns an integer literal outside the safe
 * range into a `bigint` of its digits, by the same rule as our own parser (json-number-literal.ts).
 *
 * A number a double cannot hold is refused by our own parser. The reviver cannot refuse exactly
 * as it does: `JSON.parse` revives only the last value of a duplicate key, so `{"a":1e400,"a":0}`
 * would read as `{"a":0}` here and is refused there. Text that may hold such a number therefore
 * goes to our own parser (it needs an exponent of three digits, or a run of 16 digits beside a
 * decimal point or an exponent), as does any text this path refuses, so that both paths refuse
 * with the same error and message.
 */
import { isIntegerLiteral, numberLiteralRefusal, numberRefusalMessage } from './json-number-literal.js';
import { JsonNumberError } from './json-read-errors.js';
import { parseJsonWithOwnParser } from './own-json-parser.js';

// Only a literal like these can overflow to Infinity or round to 0: 1e308 needs 309 digits, or
// 3 in the exponent; 1e-324 needs 225 zeros after the point, or 3 digits in the exponent.
const mayHoldRefusedNumber = /\d[eE][+-]?\d{3}|\d{16}[.eE]|\.\d{16}/;

/** What a reviver receives as its third argument where the runtime has source text access. */
interface ReviverContext {
  source?: string;
}

function detectSourceText(): boolean {
  let source: unknown;
  JSON.parse('1', (_key: string, value: unknown, context?: ReviverContext) => {
    source = context?.source;
    return value;
  });
  return source === '1';
}

/** Whether this runtime's `JSON.parse` hands a reviver each primitive's source text; checked once. */
export const jsonParseHasSourceText: boolean = detectSourceText();

/**
 * The reviver: called for every value, so its common cases (a string, an object, a number that
 * is non-zero and within the safe range, hence exact whatever its literal) return at once.
 */
function reviveNumber(_key: string, value: unknown, context?: ReviverContext): unknown {
  if (
    typeof value !== 'number' ||
    (value !== 0 && value <= Number.MAX_SAFE_INTEGER && value >= -Number.MAX_SAFE_INTEGER)
  ) {
    return value;
  }
  const literal = context?.source;
  // Never met where this reviver is used; our own parser then reads the text (see below).
  if (literal === undefined) throw new JsonNumberError('JSON.parse gave no source text');
  if (isIntegerLiteral(literal)) return Number.isSafeInteger(value) ? value : BigInt(literal);
  // Unreached for text without the shapes of mayHoldRefusedNumber; a guard should that be wrong.
  const refusal = numberLiteralRefusal(literal, value);
  if (refusal !== undefined) throw new JsonNumberError(numberRefusalMessage(literal, refusal));
  return value;
}

/**
 * Parses JSON text (without a byte-order mark) with `JSON.parse` and a source-text reviver, or
 * with our own parser where the text may hold a number a double cannot hold; only where
 * {@link jsonParseHasSourceText} is true (elsewhere our own parser reads every text).
 *
 * @throws {SyntaxError} when the text is not JSON; {@link JsonNumberError} for a number a double
 * cannot hold: both as our own parser throws them.
 */
export function parseJsonWithSourceText(text: string): unknown {
  if (mayHoldRefusedNumber.test(text)) return parseJsonWithOwnParser(text);
  try {
    return JSON.parse(text, reviveNumber);
  } catch {
    // Refused text is read again by our own parser, which throws what it throws on Node 20 (its
    // messages give the position). Refusals are rare and at most double the work.
    return parseJsonWithOwnParser(text);
  }
}
