import { describe, expect, it } from 'vitest';
import { readFetchBody } from './fetch-body.js';

/**
 * A request that counts reads of its `body` stream: on hosts that build their `Request` lazily
 * (@hono/node-server), asking for the stream is what makes them build a web stream and a full
 * `Request`, so a body of known length must be read without it.
 */
function countingBodyReads(request: Request): { request: Request; bodyReads: () => number } {
  let reads = 0;
  const body = Object.getOwnPropertyDescriptor(Request.prototype, 'body');
  Object.defineProperty(request, 'body', {
    get(): unknown {
      reads += 1;
      return body?.get?.call(request);
    },
  });
  return { request, bodyReads: () => reads };
}

const text = '{"name":"order:price","version":1}';

function streamOf(chunks: readonly string[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
      controller.close();
    },
  });
}

describe('readFetchBody', () => {
  it('reads a body of declared length with arrayBuffer(), never asking for its stream', async () => {
    const { request, bodyReads } = countingBodyReads(
      new Request('http://127.0.0.1/events', {
        method: 'POST',
        headers: { 'content-length': String(text.length) },
        body: text,
      }),
    );
    const read = await readFetchBody(request, 1024);
    expect(read.ok && new TextDecoder().decode(read.body)).toBe(text);
    expect(bodyReads()).toBe(0);
  });

  it('refuses a declared length over the limit with 413 before reading a byte', async () => {
    let pulls = 0;
    const body = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          pulls += 1;
          controller.enqueue(new Uint8Array(2048));
        },
      },
      { highWaterMark: 0 },
    );
    const request = new Request('http://127.0.0.1/events', {
      method: 'POST',
      headers: { 'content-length': '2048' },
      body,
      duplex: 'half',
    });
    expect(await readFetchBody(request, 1024)).toEqual({ ok: false, status: 413 });
    expect(pulls).toBe(0);
  });

  it('reads a body without a declared length from its stream, and refuses one past the limit', async () => {
    const streamed = countingBodyReads(
      new Request('http://127.0.0.1/events', {
        method: 'POST',
        body: streamOf(['{"name":', '"order:price","version":1}']),
        duplex: 'half',
      }),
    );
    const read = await readFetchBody(streamed.request, 1024);
    expect(read.ok && new TextDecoder().decode(read.body)).toBe(text);
    expect(streamed.bodyReads()).toBeGreaterThan(0);
    const tooLong = new Request('http://127.0.0.1/events', {
      method: 'POST',
      body: streamOf(['x'.repeat(600), 'x'.repeat(600)]),
      duplex: 'half',
    });
    expect(await readFetchBody(tooLong, 1024)).toEqual({ ok: false, status: 413 });
  });

  it('reads a request without a body as empty', async () => {
    const read = await readFetchBody(new Request('http://127.0.0.1/events', { method: 'POST' }), 1024);
    expect(read.ok && read.body.byteLength).toBe(0);
  });
});
