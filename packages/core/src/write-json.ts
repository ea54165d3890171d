import { checkJsonValue } from './json-value-check.js';

/**
 * Serialises a value like `JSON.stringify`, except that `bigint` values are written as JSON
 * integers with all their digits (so 64-bit ids read by {@link readJson} go back unaltered).
 * Values without a bigint take the native path unchanged. `indent` pretty-prints, as in `JSON.stringify`.
 * Like `JSON.stringify`, it drops functions and writes NaN as `null`; {@link writeStrictJson}
 * refuses them instead.
 *
 * @throws {TypeError} for what JSON cannot hold (cycles), as `JSON.stringify` does.
 */
export function writeJson(value: unknown, indent?: number): string {
  try {
    return JSON.stringify(value, null, indent);
  } catch (error) {
    if (!(error instanceof TypeError) || !error.message.includes('BigInt')) throw error;
    return writeJsonWithBigInts(value, indent);
  }
}

/**
 * Serialises a value like {@link writeJson} (bigints with all their digits), but refuses what JSON
 * would drop or change instead of writing it differently: functions, symbols, circular
 * references, `undefined` in an array or as the whole value, NaN and ±Infinity, Maps and Sets. A
 * property whose value is `undefined` is left out, as in `JSON.stringify`. What is sent elsewhere
 * should go through this: the receiver then reads exactly what the sender had.
 *
 * One extra walk over the value, which builds nothing unless it fails; the text itself comes from
 * the native writer.
 *
 * @example
 * writeStrictJson({ payload: { items: [1, () => 2] } }); // throws: payload.items[1] is a function…
 *
 * @throws {JsonValueError} naming the path of the first value JSON cannot carry.
 */
export function writeStrictJson(value: unknown, indent?: number): string {
  return checkJsonValue(value) ? writeJsonWithBigInts(value, indent) : JSON.stringify(value, null, indent);
}

function writeJsonWithBigInts(value: unknown, indent: number | undefined): string {
  // Each bigint becomes a string tagged with a fresh random marker, then loses its quotes.
  const marker = `bigint-${randomHex(12)}:`;
  const text = JSON.stringify(
    value,
    (_key, item: unknown) => (typeof item === 'bigint' ? marker + item.toString() : item),
    indent,
  );
  return text.replace(new RegExp(`"${marker}(-?\\d+)"`, 'g'), '$1');
}

/** `bytes` random bytes as hex, from Web Crypto (Node ≥ 20, Bun, Deno and browsers have it). */
function randomHex(bytes: number): string {
  const values = globalThis.crypto.getRandomValues(new Uint8Array(bytes));
  let hex = '';
  for (const value of values) hex += value.toString(16).padStart(2, '0');
  return hex;
}
