/** The most of an answer a delivery report or a failure keeps: 2 KiB. */
export const maxExcerptBytes = 2048;

/**
 * The start of an answer's body as text, at most {@link maxExcerptBytes} bytes of UTF-8, cut at a
 * character boundary so no broken character ends it.
 */
export function responseExcerpt(body: Uint8Array | string): string {
  const bytes =
    typeof body === 'string'
      ? // As many UTF-16 units as bytes kept is always enough; a pair split at the end is cut below.
        Buffer.from(body.slice(0, maxExcerptBytes), 'utf8')
      : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  let end = Math.min(bytes.length, maxExcerptBytes);
  if (end < bytes.length) {
    // Step back over continuation bytes (10xxxxxx) to the start of the character that was cut.
    while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end -= 1;
  }
  return bytes.subarray(0, end).toString('utf8');
}
