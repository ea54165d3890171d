import { describe, expect, it } from 'vitest';
import { maxExcerptBytes, responseExcerpt } from './response-excerpt.js';

const characters = ['a', 'é', '€', '😀', '\n', '"'];

/** Texts of every width of character, cut at every offset around the limit. */
function* texts(): Generator<string> {
  for (const character of characters) {
    for (let prefix = 0; prefix < 4; prefix++) yield `${'x'.repeat(prefix)}${character.repeat(3000)}`;
  }
  // A pair of UTF-16 units that the limit in units would split.
  yield `${'x'.repeat(maxExcerptBytes - 1)}😀 and more`;
  yield '';
  yield 'short answer';
}

describe('responseExcerpt', () => {
  it('keeps at most 2 KiB, as much as fits, and never a broken character', () => {
    for (const text of texts()) {
      for (const body of [text, new TextEncoder().encode(text)]) {
        const excerpt = responseExcerpt(body);
        const bytes = Buffer.byteLength(excerpt);
        expect(bytes).toBeLessThanOrEqual(maxExcerptBytes);
        expect(text.startsWith(excerpt)).toBe(true);
        expect(excerpt).not.toContain('\uFFFD');
        // Cut only where the next character would not fit: at most 3 bytes short of the limit.
        if (Buffer.byteLength(text) > maxExcerptBytes) expect(bytes).toBeGreaterThan(maxExcerptBytes - 4);
        else expect(excerpt).toBe(text);
      }
    }
  });

  it('reads a view into a larger buffer from its own offset', () => {
    const whole = Buffer.from('ignored|kept');
    expect(responseExcerpt(whole.subarray(8))).toBe('kept');
  });
});
