import { createPublishedEvent, HttpSink, isPublishError, type PublishError } from '@events-protocol/publish';
import type { IncomingHttpHeaders } from 'node:http';
import { describe, expect, it } from 'vitest';
import { listen, readBody } from '../support/http-server.js';

async function receiver(status = 204) {
  const received: { headers: IncomingHttpHeaders; body: string }[] = [];
  const running = await listen((request, response) => {
    void readBody(request).then((body) => {
      received.push({ headers: request.headers, body });
      response.writeHead(status, { 'content-type': 'text/plain' }).end(status >= 300 ? 'quota exceeded' : '');
    });
  });
  return { running, received, url: `${running.origin}/hooks/orders` };
}

const event = createPublishedEvent({
  name: 'order:placed',
  payload: { orderId: 'o-1', cents: 2n ** 63n },
  auth: { token: 't' },
});

describe('HttpSink', () => {
  it('posts the event as JSON with auth, custom headers and attributes as headers', async () => {
    const { running, received, url } = await receiver();
    await using _receiver = running;
    const sink = new HttpSink({ url, auth: { type: 'bearer', token: 'secret' }, headers: { 'x-tenant': 'acme' } });
    await sink.publish(event, { topic: 'orders', attributes: { Region: 'eu' } });
    const [{ headers, body } = { headers: {}, body: '' }] = received;
    expect(body).toContain('"cents":9223372036854775808');
    expect(JSON.parse(body)).toMatchObject({ name: 'order:placed', id: event.id, flowId: event.flowId });
    expect(headers).toMatchObject({
      'content-type': 'application/json',
      authorization: 'Bearer secret',
      'x-tenant': 'acme',
      'x-event-attribute-region': 'eu',
      'x-event-topic': 'orders',
    });
    const basic = new HttpSink({ url, auth: { type: 'basic', username: 'ada', password: 'pw' } });
    await basic.publish(event);
    expect(received[1]?.headers.authorization).toBe(`Basic ${Buffer.from('ada:pw').toString('base64')}`);
    expect(await sink.healthCheck()).toBe(true);
    await Promise.all([sink.close(), basic.close()]);
  });

  it('sends CloudEvents in structured and binary mode', async () => {
    const { running, received, url } = await receiver();
    await using _receiver = running;
    const structured = new HttpSink({ url, cloudEvents: { mode: 'structured', source: '/orders' } });
    const binary = new HttpSink({ url, cloudEvents: { mode: 'binary', source: '/orders' } });
    await structured.publish(event, { topic: 'orders' });
    await binary.publish(event);
    expect(received[0]?.headers['content-type']).toBe('application/cloudevents+json');
    expect(JSON.parse(received[0]!.body)).toMatchObject({
      specversion: '1.0',
      type: 'order:placed',
      id: event.id,
      subject: 'orders',
      source: '/orders',
    });
    expect(received[0]!.body).not.toContain('"token"');
    expect(received[1]?.headers).toMatchObject({
      'ce-specversion': '1.0',
      'ce-type': 'order:placed',
      'ce-id': event.id,
      'content-type': 'application/json',
    });
    expect(received[1]?.body).toBe('{"orderId":"o-1","cents":9223372036854775808}');
    await Promise.all([structured.close(), binary.close()]);
  });

  it('rejects a non-2xx answer with its status and body', async () => {
    const { running, url } = await receiver(429);
    await using _receiver = running;
    const sink = new HttpSink({ url });
    const error: unknown = await sink.publish(event).catch((caught: unknown) => caught);
    expect(isPublishError(error) && error.code).toBe('REJECTED');
    expect((error as PublishError).message).toContain('HTTP 429: quota exceeded');
    expect(error).toMatchObject({ status: 429, responseExcerpt: 'quota exceeded' });
    await sink.close();
  });

  it('times out a hanging target and reports a closed port as unreachable', async () => {
    await using hanging = await listen(() => undefined);
    const sink = new HttpSink({ url: hanging.origin, timeouts: { connectMs: 1000, responseMs: 200 } });
    const started = performance.now();
    await expect(sink.publish(event)).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(performance.now() - started).toBeLessThan(1500);
    await sink.close();

    const closed = await listen(() => undefined);
    await closed.close();
    const unreachable = new HttpSink({ url: closed.origin, timeouts: 500, healthCheck: 'target' });
    await expect(unreachable.publish(event)).rejects.toMatchObject({ code: 'UNREACHABLE' });
    expect(await unreachable.healthCheck()).toBe(false);
    await unreachable.close();
  });

  it('refuses URLs that are not http(s)', () => {
    expect(() => new HttpSink({ url: 'ftp://example.com' })).toThrow(/http\(s\)/);
    expect(() => new HttpSink({ url: 'nope' })).toThrow(/not a URL/);
  });
});
