import { createPublishedEvent, HttpSink, type PublishError } from '@events-protocol/publish';
import type { ServerResponse } from 'node:http';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { listen, readBody } from '../support/http-server.js';

const event = createPublishedEvent({ name: 'order:placed', payload: { orderId: 'o-1' } });

/** A receiver that reads each request whole, then answers as `answer` says. */
async function answering(answer: (response: ServerResponse) => void) {
  const requests: { method: string; url: string }[] = [];
  const running = await listen((request, response) => {
    void readBody(request).then(() => {
      requests.push({ method: request.method ?? '', url: request.url ?? '' });
      answer(response);
    });
  });
  return { running, requests };
}

function rejection(promise: Promise<unknown>): Promise<PublishError> {
  return promise.then(
    () => expect.fail('the publish resolved'),
    (error: unknown) => error as PublishError,
  );
}

describe('HttpSink delivery reports', () => {
  it('resolves the status and the start of the answer of a 2xx', async () => {
    const { running } = await answering((response) => response.writeHead(202).end('queued as 17'));
    await using _receiver = running;
    const sink = new HttpSink({ url: running.origin });
    await expect(sink.publish(event)).resolves.toEqual({ status: 202, responseExcerpt: 'queued as 17' });
    await sink.close();
  });

  it('carries Retry-After of a 429 as retryAfterMs, in delta-seconds', async () => {
    const { running } = await answering((response) => response.writeHead(429, { 'retry-after': '7' }).end('slow down'));
    await using _receiver = running;
    const sink = new HttpSink({ url: running.origin });
    const error = await rejection(sink.publish(event));
    expect(error).toMatchObject({ code: 'REJECTED', status: 429, responseExcerpt: 'slow down', retryAfterMs: 7000 });
    await sink.close();
  });

  it('carries Retry-After of a 503 as retryAfterMs, as an HTTP-date', async () => {
    const at = new Date(Date.now() + 120_000).toUTCString();
    const { running } = await answering((response) => response.writeHead(503, { 'retry-after': at }).end());
    await using _receiver = running;
    const sink = new HttpSink({ url: running.origin });
    const error = await rejection(sink.publish(event));
    expect(error).toMatchObject({ code: 'REJECTED', status: 503 });
    // An HTTP-date has whole seconds: up to a second early, and the test's own time besides.
    expect(error.retryAfterMs).toBeGreaterThan(60_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(120_000);
    await sink.close();
  });

  it('ignores Retry-After on other statuses and unreadable ones', async () => {
    let status = 500;
    let header = '30';
    const { running } = await answering((response) => response.writeHead(status, { 'retry-after': header }).end());
    await using _receiver = running;
    const sink = new HttpSink({ url: running.origin });
    expect((await rejection(sink.publish(event))).retryAfterMs).toBeUndefined();
    status = 429;
    header = 'soon';
    expect(await rejection(sink.publish(event))).toMatchObject({ status: 429, retryAfterMs: undefined });
    await sink.close();
  });

  it('keeps at most 2 KiB of an answer, never splitting a character', async () => {
    const body = `a${'é'.repeat(5000)}`;
    const { running } = await answering((response) => response.writeHead(400).end(body));
    await using _receiver = running;
    const sink = new HttpSink({ url: running.origin });
    const { responseExcerpt = '' } = await rejection(sink.publish(event));
    expect(Buffer.byteLength(responseExcerpt)).toBeLessThanOrEqual(2048);
    expect(Buffer.byteLength(responseExcerpt)).toBeGreaterThan(2040);
    expect(body.startsWith(responseExcerpt)).toBe(true);
    await sink.close();
  });
});

describe('HttpSink maxResponseBytes', () => {
  /** A receiver that answers with a body that never ends, and counts what the socket took. */
  async function endless(status = 200, headers: Record<string, string> = {}) {
    const state = { written: 0, closed: false };
    const running = await listen((request, response) => {
      void readBody(request).then(async () => {
        response.writeHead(status, { 'content-type': 'text/plain', ...headers });
        const chunk = Buffer.alloc(65_536, 'x');
        response.once('close', () => (state.closed = true));
        while (!state.closed) {
          state.written += chunk.length;
          if (!response.write(chunk)) await Promise.race([once(response, 'drain'), once(response, 'close')]);
        }
      });
    });
    return { running, state };
  }

  it('stops reading an endless 2xx answer, closes the connection, and reports it delivered', async () => {
    const { running, state } = await endless();
    await using _receiver = running;
    const sink = new HttpSink({ url: running.origin, maxResponseBytes: 100_000, timeouts: 600_000 });
    const report = await sink.publish(event);
    expect(report.status).toBe(200);
    expect(report.responseExcerpt).toBe('x'.repeat(2048));
    await expect.poll(() => state.closed).toBe(true);
    // What the socket took before it closed: the limit and the kernel's buffers, nowhere near unbounded.
    expect(state.written).toBeLessThan(64 * 1024 * 1024);
    await sink.close();
  });

  it('cuts an answer that declares more than the limit where the limit is, and reports it delivered', async () => {
    const { running, state } = await endless(201, { 'content-length': String(10 * 1024 * 1024 * 1024) });
    await using _receiver = running;
    // Timeouts far longer than the test: only stopping at the limit ends this publish.
    const sink = new HttpSink({ url: running.origin, maxResponseBytes: 1024, timeouts: 600_000 });
    await expect(sink.publish(event)).resolves.toEqual({ status: 201, responseExcerpt: 'x'.repeat(1024) });
    await expect.poll(() => state.closed).toBe(true);
    await sink.close();
  });

  it('refuses a limit that is not a positive whole number of bytes', () => {
    for (const maxResponseBytes of [0, -1, 1.5, Number.NaN]) {
      expect(() => new HttpSink({ url: 'http://127.0.0.1:1', maxResponseBytes })).toThrow(
        expect.objectContaining({ code: 'INVALID_OPTIONS' }),
      );
    }
  });
});

describe('HttpSink timeouts', () => {
  /* eslint-disable @typescript-eslint/no-deprecated -- the deprecated name is what is tested */
  it('takes the deprecated timeout as timeouts, and refuses both at once or a bad value', async () => {
    await using hanging = await listen(() => undefined);
    const sink = new HttpSink({ url: hanging.origin, timeout: 200 });
    await expect(sink.publish(event)).rejects.toMatchObject({
      code: 'TIMEOUT',
      message: expect.stringMatching(/headers phase.*200 ms/) as string,
    });
    await sink.close();
    expect(() => new HttpSink({ url: hanging.origin, timeout: 100, timeouts: 100 })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS', message: expect.stringContaining('not both') }),
    );
    expect(() => new HttpSink({ url: hanging.origin, timeouts: { connectMs: 100, responseMs: 0 } })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS', message: expect.stringContaining('timeouts.responseMs') }),
    );
  });
  /* eslint-enable @typescript-eslint/no-deprecated */
});

describe('HttpSink healthCheck', () => {
  it('sends the target nothing by default: healthy while open, unhealthy once closed', async () => {
    const { running, requests } = await answering((response) => response.writeHead(204).end());
    await using _receiver = running;
    const sink = new HttpSink({ url: `${running.origin}/hooks` });
    expect(await sink.healthCheck()).toBe(true);
    expect(await sink.healthCheck()).toBe(true);
    await sink.close();
    expect(await sink.healthCheck()).toBe(false);
    expect(requests).toEqual([]);
  });

  it("sends HEAD to the target with 'target', GET to a health URL with { url }", async () => {
    const { running, requests } = await answering((response) => response.writeHead(200).end('ok'));
    await using _receiver = running;
    const target = new HttpSink({ url: `${running.origin}/hooks`, healthCheck: 'target' });
    const own = new HttpSink({ url: `${running.origin}/hooks`, healthCheck: { url: `${running.origin}/health` } });
    expect(await target.healthCheck()).toBe(true);
    expect(await own.healthCheck()).toBe(true);
    expect(requests).toEqual([
      { method: 'HEAD', url: '/hooks' },
      { method: 'GET', url: '/health' },
    ]);
    await Promise.all([target.close(), own.close()]);
    expect(() => new HttpSink({ url: running.origin, healthCheck: { url: 'ftp://x' } })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS' }),
    );
  });

  it('is unhealthy when the health URL answers an error', async () => {
    const { running } = await answering((response) => response.writeHead(503).end());
    await using _receiver = running;
    const sink = new HttpSink({ url: running.origin, healthCheck: { url: `${running.origin}/health` } });
    expect(await sink.healthCheck()).toBe(false);
    await sink.close();
  });
});
