import { randomBytes } from 'node:crypto';

/**
 * Serialises a value like `JSON.stringify`, except that `bigint` values are written as JSON
 * integers with all their digits (so 64-bit ids read by {@link readJson} go back unaltered).
 * Values without a bigint take the native path unchanged. `indent` pretty-prints, as in `JSON.stringify`.
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

function writeJsonWithBigInts(value: unknown, indent: number | undefined): string {
  // Each bigint becomes a string tagged with a fresh random marker, then loses its quotes.
  const marker = `bigint-${randomBytes(12).toString('hex')}:`;
  const text = JSON.stringify(
    value,
    (_key, item: unknown) => (typeof item === 'bigint' ? marker + item.toString() : item),
    indent,
  );
  return text.replace(new RegExp(`"${marker}(-?\\d+)"`, 'g'), '$1');
}
