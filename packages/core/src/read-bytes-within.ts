/** What {@link readBytesWithin} read: all the bytes, or that there were more than allowed. */
export type BytesWithinResult = { readonly ok: true; readonly bytes: Uint8Array } | { readonly ok: false };

const noBytes = new Uint8Array(0);

/**
 * Reads a web stream of bytes (a `Request` or `Response` body) to its end, keeping at most
 * `maxBytes`: as soon as more arrive the stream is cancelled and `{ ok: false }` returned, so no
 * more than the limit is ever held. A stream that fails while read rejects with its error.
 */
export async function readBytesWithin(
  stream: ReadableStream<Uint8Array> | null,
  maxBytes: number,
): Promise<BytesWithinResult> {
  if (stream === null) return { ok: true, bytes: noBytes };
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      reader.cancel().catch(() => undefined);
      return { ok: false };
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return { ok: true, bytes: chunks[0] as Uint8Array };
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { ok: true, bytes };
}
