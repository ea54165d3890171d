import { EventError, EventErrorType } from '@events-protocol/core';
import {
  CompositeSink,
  createPublishedEvent,
  EventsProtocolSink,
  HttpSink,
  RecordingSink,
  type PublishError,
} from '@events-protocol/publish';
import { createEventServer, EventProcessor, EventRegistry } from '@events-protocol/server';
import { describe, expect, it } from 'vitest';
import { listen, readBody } from '../support/http-server.js';

const event = createPublishedEvent({ name: 'order:placed', payload: { orderId: 'o-1' }, auth: { token: 'secret' } });

function rejection(promise: Promise<unknown>): Promise<PublishError> {
  return promise.then(
    () => expect.fail('the publish resolved'),
    (error: unknown) => error as PublishError,
  );
}

/** A plain HTTP receiver answering every request with this status, headers and body. */
async function answering(status: number, body: string, headers: Record<string, string> = {}) {
  return listen((request, response) => {
    void readBody(request).then(() => response.writeHead(status, headers).end(body));
  });
}

describe('EventsProtocolSink delivery reports', () => {
  it("reports the answer's name and payload, and rejects an error event with them", async () => {
    const registry = new EventRegistry()
      .register({ name: 'order:placed', handler: () => ({ accepted: true }) })
      .register({
        name: 'order:refused',
        handler: () => {
          throw new EventError(EventErrorType.Forbidden, { code: 'NOT_ALLOWED' });
        },
      });
    await using server = await listen(createEventServer(new EventProcessor(registry)));
    const sink = new EventsProtocolSink({ url: `${server.origin}/events`, timeout: 2000 });
    const report = await sink.publish(event);
    expect(JSON.parse(report.responseExcerpt ?? '')).toEqual({
      name: 'order:placed:response',
      payload: { accepted: true },
    });
    const refused = await rejection(sink.publish(createPublishedEvent({ name: 'order:refused', payload: null })));
    expect(refused.code).toBe('REJECTED');
    expect(JSON.parse(refused.responseExcerpt ?? '')).toEqual({
      name: 'order:refused:forbidden',
      payload: { code: 'NOT_ALLOWED', parameters: {} },
    });
    await sink.close();
  });

  it('rejects a non-2xx answer with its status and the start of its body', async () => {
    await using proxy = await answering(502, `bad gateway ${'.'.repeat(5000)}`);
    const sink = new EventsProtocolSink({ url: `${proxy.origin}/events`, timeout: 2000 });
    const error = await rejection(sink.publish(event));
    expect(error).toMatchObject({ code: 'REJECTED', status: 502 });
    expect(error.responseExcerpt?.startsWith('bad gateway ...')).toBe(true);
    expect(Buffer.byteLength(error.responseExcerpt ?? '')).toBe(2048);
    await sink.close();
  });

  it('carries the Retry-After of a 503 as retryAfterMs', async () => {
    await using busy = await answering(503, 'maintenance', { 'retry-after': '9' });
    const sink = new EventsProtocolSink({ url: `${busy.origin}/events`, timeout: 2000 });
    const error = await rejection(sink.publish(event));
    expect(error).toMatchObject({ code: 'REJECTED', status: 503, responseExcerpt: 'maintenance', retryAfterMs: 9000 });
    await sink.close();
  });
});

describe('CompositeSink delivery reports', () => {
  it("passes one sink's report through as it is", async () => {
    await using receiver = await answering(202, 'queued');
    const composite = new CompositeSink([new HttpSink({ url: receiver.origin })]);
    await expect(composite.publish(event)).resolves.toEqual({ status: 202, responseExcerpt: 'queued' });
    await composite.close();
  });

  it("names each sink's answer, and keeps the status they all gave", async () => {
    await using first = await answering(200, 'one');
    await using second = await answering(200, 'two');
    await using third = await answering(204, '');
    const same = new CompositeSink([
      new HttpSink({ url: first.origin, name: 'first' }),
      new HttpSink({ url: second.origin, name: 'second' }),
      new RecordingSink('quiet'),
    ]);
    await expect(same.publish(event)).resolves.toEqual({
      status: 200,
      responseExcerpt: 'first: 200 one\nsecond: 200 two',
    });
    const mixed = new CompositeSink([
      new HttpSink({ url: first.origin, name: 'first' }),
      new HttpSink({ url: third.origin, name: 'third' }),
    ]);
    await expect(mixed.publish(event)).resolves.toEqual({ responseExcerpt: 'first: 200 one\nthird: 204' });
    await Promise.all([same.close(), mixed.close()]);
  });

  it('fails with the failures as excerpt and the longest Retry-After any asked for', async () => {
    await using busy = await answering(503, 'busy', { 'retry-after': '5' });
    await using limited = await answering(429, 'slow down', { 'retry-after': '30' });
    await using fine = await answering(200, 'ok');
    const composite = new CompositeSink([
      new HttpSink({ url: busy.origin, name: 'busy' }),
      new HttpSink({ url: limited.origin, name: 'limited' }),
      new HttpSink({ url: fine.origin, name: 'fine' }),
    ]);
    const error = await rejection(composite.publish(event));
    expect(error).toMatchObject({
      code: 'PARTIAL_FAILURE',
      retryAfterMs: 30_000,
      responseExcerpt: 'busy: 503 busy\nlimited: 429 slow down',
    });
    expect(error.failures.map((failure) => failure.retryAfterMs)).toEqual([5000, 30_000]);
    await composite.close();
  });
});

describe('RecordingSink delivery reports', () => {
  it('resolves the report it was given, a copy each time, and nothing by default', async () => {
    const reporting = new RecordingSink('reporting', { report: { status: 202, responseExcerpt: 'queued' } });
    const first = await reporting.publish(event);
    expect(first).toEqual({ status: 202, responseExcerpt: 'queued' });
    expect(await reporting.publish(event)).not.toBe(first);
    await expect(new RecordingSink().publish(event)).resolves.toBeUndefined();
  });
});
