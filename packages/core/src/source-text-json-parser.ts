/**
 * Reading unusual numbers through `JSON.parse` itself, where the runtime hands a reviver the
 * source text of each primitive value (JSON.parse source text access: V8 in Node 22+ and
 * Chromium, JavaScriptCore in Bun, Deno). The reviver turns an integer literal outside the safe
 * range into a `bigint` of its digits and refuses a number a double cannot hold, by the same rule
 * as our own parser (json-number-literal.ts); any text this path refuses is parsed again by our
 * own parser, so that both paths refuse with the same error and message.
 */
import { isIntegerLiteral, numberLiteralRefusal, numberRefusalMessage } from './json-number-literal.js';
import { JsonNumberError } from './json-read-errors.js';
import { parseJsonWithOwnParser } from './own-json-parser.js';

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
  const refusal = numberLiteralRefusal(literal, value);
  if (refusal !== undefined) throw new JsonNumberError(numberRefusalMessage(literal, refusal));
  return value;
}

/**
 * Parses JSON text (without a byte-order mark) with `JSON.parse` and a source-text reviver; only
 * where {@link jsonParseHasSourceText} is true (elsewhere it would read big integers rounded).
 *
 * @throws {SyntaxError} when the text is not JSON; {@link JsonNumberError} for a number a double
 * cannot hold: both as our own parser throws them.
 */
export function parseJsonWithSourceText(text: string): unknown {
  try {
    return JSON.parse(text, reviveNumber);
  } catch {
    // Refused text is read again by our own parser, which throws what it throws on Node 20 (its
    // messages give the position). Refusals are rare and at most double the work.
    return parseJsonWithOwnParser(text);
  }
}
