import { readJson, type RequestEvent } from '@events-protocol/core';
import {
  createPublishedEvent,
  EventsProtocolSink,
  FileSink,
  HttpSink,
  serializeEvent,
  toCloudEvent,
} from '@events-protocol/publish';
import { RedisStreamSink } from '@events-protocol/publish/redis';
import { createEventServer, EventProcessor, EventRegistry } from '@events-protocol/server';
import { HTTP } from 'cloudevents';
import { Redis } from 'ioredis';
import { createServer, type IncomingMessage } from 'node:http';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, readBody, type RunningServer } from '../support/http-server.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { testDirectory } from '../support/test-directory.js';

// An event's `auth` never leaves the process through a sink, and its `identity` only where the
// publisher opts in. Every byte that left (raw HTTP requests, Redis entries read back with XRANGE,
// file bytes, CloudEvents) is searched for the tokens.

const authToken = 'AUTH-TOKEN-9f3c1d7e';
const identityToken = 'IDENTITY-TOKEN-4b2a8c6d';

function secretEvent() {
  return createPublishedEvent({
    name: 'order:placed',
    payload: { orderId: 'o-1' },
    auth: { token: authToken, nested: { refresh: authToken } },
    identity: { userId: identityToken },
    metadata: { origin: 'shop' },
  });
}

/** An HTTP server that keeps every raw request, headers and body bytes as received. */
async function rawReceiver(): Promise<{ running: RunningServer; raw: Buffer[] }> {
  const raw: Buffer[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      raw.push(Buffer.concat(chunks));
      response.writeHead(204).end();
    });
  });
  server.on('connection', (socket) => socket.on('data', (chunk: Buffer) => raw.push(chunk)));
  return { running: await listen(server), raw };
}

function holds(bytes: Buffer | string, token: string): boolean {
  return (typeof bytes === 'string' ? Buffer.from(bytes) : bytes).includes(token);
}

describe('secrets leave nothing through sinks', () => {
  let redisServer: RedisServer;
  let redis: Redis;

  beforeAll(async () => {
    redisServer = await startRedisServer();
    redis = new Redis(redisServer.url);
  });
  afterAll(async () => {
    redis.disconnect();
    await redisServer.stop();
  });

  it('HttpSink sends neither auth nor identity, in JSON or CloudEvents; identity only when opted in', async () => {
    const { running, raw } = await rawReceiver();
    await using _receiver = running;
    const url = `${running.origin}/hooks`;
    const plain = new HttpSink({ url });
    const structured = new HttpSink({ url, cloudEvents: { mode: 'structured', source: '/shop' } });
    const binary = new HttpSink({ url, cloudEvents: { mode: 'binary', source: '/shop' } });
    for (const sink of [plain, structured, binary]) await sink.publish(secretEvent(), { topic: 'orders' });
    const sent = Buffer.concat(raw);
    expect(sent.length).toBeGreaterThan(0);
    expect(holds(sent, 'order:placed')).toBe(true);
    expect(holds(sent, authToken)).toBe(false);
    expect(holds(sent, identityToken)).toBe(false);
    raw.length = 0;
    const withIdentity = new HttpSink({ url, includeIdentity: true });
    await withIdentity.publish(secretEvent());
    expect(holds(Buffer.concat(raw), identityToken)).toBe(true);
    expect(holds(Buffer.concat(raw), authToken)).toBe(false);
    await Promise.all([plain, structured, binary, withIdentity].map(async (sink) => sink.close()));
  });

  it('the event HttpSink sends still has all eight fields, auth and identity as {}', async () => {
    const { running, raw } = await rawReceiver();
    await using _receiver = running;
    const sink = new HttpSink({ url: running.origin });
    const event = secretEvent();
    await sink.publish(event);
    const body = raw.find((chunk) => chunk.toString().startsWith('{'));
    expect(readJson(body?.toString() ?? '')).toEqual({ ...event, auth: {}, identity: {} });
    await sink.close();
  });

  it('RedisStreamSink writes neither into any field of any entry; identity only when opted in', async () => {
    const sink = new RedisStreamSink({ redis, stream: () => 'secrets' });
    await sink.publish(secretEvent(), { topic: 'orders', attributes: { region: 'eu' } });
    await sink.publishBatch([{ event: secretEvent() }, { event: secretEvent() }]);
    const withIdentity = new RedisStreamSink({ redis, stream: () => 'secrets:identity', includeIdentity: true });
    await withIdentity.publish(secretEvent());
    const entries = await redis.xrange('secrets', '-', '+');
    expect(entries).toHaveLength(3);
    for (const [, fields] of entries) {
      for (const field of fields) {
        expect(holds(field, authToken)).toBe(false);
        expect(holds(field, identityToken)).toBe(false);
      }
    }
    const opted = (await redis.xrange('secrets:identity', '-', '+')).flatMap(([, fields]) => fields).join('\n');
    expect(holds(opted, identityToken)).toBe(true);
    expect(holds(opted, authToken)).toBe(false);
  });

  it('FileSink writes neither into the file bytes; identity only when opted in', async () => {
    const directory = await testDirectory('secrets');
    await new FileSink({ directory: join(directory, 'plain') }).publish(secretEvent(), { topic: 'orders' });
    await new FileSink({ directory: join(directory, 'identity'), includeIdentity: true }).publish(secretEvent());
    const [plainFile] = await readdir(join(directory, 'plain'));
    const [identityFile] = await readdir(join(directory, 'identity'));
    const plain = await readFile(join(directory, 'plain', plainFile ?? ''));
    const identity = await readFile(join(directory, 'identity', identityFile ?? ''));
    expect(holds(plain, 'order:placed')).toBe(true);
    expect(holds(plain, authToken) || holds(plain, identityToken)).toBe(false);
    expect(holds(identity, identityToken)).toBe(true);
    expect(holds(identity, authToken)).toBe(false);
  });

  it('a CloudEvent carries neither, in either mode, as the official CloudEvents SDK reads it', async () => {
    const text = JSON.stringify(toCloudEvent(secretEvent(), { source: '/shop' }));
    expect(holds(text, authToken) || holds(text, identityToken)).toBe(false);
    const requests: { headers: Record<string, string>; body: string }[] = [];
    await using running = await listen((request, response) => {
      void readBody(request).then((body) => {
        requests.push({ headers: request.headers as Record<string, string>, body });
        response.writeHead(204).end();
      });
    });
    for (const mode of ['structured', 'binary'] as const) {
      const sink = new HttpSink({ url: running.origin, cloudEvents: { mode, source: '/shop' } });
      await sink.publish(secretEvent());
      await sink.close();
    }
    expect(requests).toHaveLength(2);
    for (const { headers, body } of requests) {
      const read = HTTP.toEvent({ headers, body });
      const received = Array.isArray(read) ? read[0] : read;
      expect(received?.type).toBe('order:placed');
      expect(received?.data).toEqual({ orderId: 'o-1' });
      const everything = JSON.stringify(received) + JSON.stringify(headers) + body;
      expect(holds(everything, authToken) || holds(everything, identityToken)).toBe(false);
    }
  });

  it('serializeEvent leaves out what a caller added to the event object', () => {
    const event = { ...secretEvent(), password: authToken } as ReturnType<typeof secretEvent>;
    const text = serializeEvent(event, 'test', { identity: true });
    expect(text).not.toContain(authToken);
    expect(text).toContain(identityToken);
    expect(serializeEvent(event, 'test', { identity: true, auth: true })).toContain(`"token":"${authToken}"`);
  });

  it('EventsProtocolSink forwards auth and identity only when configured to', async () => {
    const received: RequestEvent[] = [];
    const rawBodies: string[] = [];
    const registry = new EventRegistry().register({
      name: 'order:placed',
      handler: (event) => void received.push(event),
    });
    const listener = createEventServer(new EventProcessor(registry));
    listener.on('request', (request: IncomingMessage) => {
      request.on('data', (chunk: Buffer) => rawBodies.push(chunk.toString()));
    });
    await using server = await listen(listener);
    const url = `${server.origin}/events`;
    const quiet = new EventsProtocolSink({ url, timeout: 2000 });
    const forwarding = new EventsProtocolSink({ url, timeout: 2000, forwardAuth: true, includeIdentity: true });
    expect(quiet.forwardsAuth).toBe(false);
    expect(forwarding.forwardsAuth).toBe(true);
    await quiet.publish(secretEvent());
    expect(received[0]).toMatchObject({ auth: {}, identity: {} });
    expect(rawBodies.join('')).not.toContain(authToken);
    expect(rawBodies.join('')).not.toContain(identityToken);
    await forwarding.publish(secretEvent());
    expect(received[1]).toMatchObject({
      auth: { token: authToken, nested: { refresh: authToken } },
      identity: { userId: identityToken },
    });
    await Promise.all([quiet.close(), forwarding.close()]);
  });
});
