/** What reading a web-standard request body gives: its bytes, or why it was refused. */
export type FetchBodyReadResult =
  { readonly ok: true; readonly body: Uint8Array } | { readonly ok: false; readonly status: 413 | 400 };

const emptyBody = new Uint8Array(0);

/**
 * Reads a `Request`'s body up to `maxBytes`, never keeping more. A `content-length` over the limit
 * is refused before a byte is read; one within it is read by the host at once (HTTP framing ends
 * the body at that length; Bun reads it twice as fast as through a stream reader), and checked
 * again. A body without one is read from its stream and cancelled as soon as it passes the limit.
 * A body that fails while read is a 400.
 */
export async function readFetchBody(request: Request, maxBytes: number): Promise<FetchBodyReadResult> {
  const length = request.headers.get('content-length');
  const declared = length === null ? Number.NaN : Number(length);
  const stream = request.body;
  if (declared > maxBytes) {
    discardBody(request);
    return { ok: false, status: 413 };
  }
  if (stream === null) return { ok: true, body: emptyBody };
  if (declared >= 0) {
    try {
      const bytes = new Uint8Array(await request.arrayBuffer());
      return bytes.byteLength > maxBytes ? { ok: false, status: 413 } : { ok: true, body: bytes };
    } catch {
      return { ok: false, status: 400 };
    }
  }
  // A request body is a stream of bytes (typed `any` chunks by some lib versions).
  const reader: ReadableStreamDefaultReader<Uint8Array> = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        reader.cancel().catch(ignore);
        return { ok: false, status: 413 };
      }
      chunks.push(value);
    }
  } catch {
    return { ok: false, status: 400 };
  }
  return { ok: true, body: chunks.length === 1 ? (chunks[0] as Uint8Array) : concat(chunks, size) };
}

function concat(chunks: readonly Uint8Array[], size: number): Uint8Array {
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/** Tells the host the rest of a request's body will not be read, so it stops receiving it. */
export function discardBody(request: Request): void {
  request.body?.cancel().catch(ignore);
}

function ignore(): void {
  // A stream that cannot be cancelled (already closed or failed) has nothing left to stop.
}
