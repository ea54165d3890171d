import {
  createPublishedEvent,
  EventsProtocolSink,
  FileSink,
  HttpSink,
  isPublishError,
  RecordingSink,
  type PublishedEvent,
  type PublishOptions,
  type Sink,
} from '@events-protocol/publish';
import { RedisStreamSink } from '@events-protocol/publish/redis';
import { createEventServer, EventProcessor, EventRegistry } from '@events-protocol/server';
import { Redis } from 'ioredis';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, readBody, type RunningServer } from '../support/http-server.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';

// Every sink refuses the same payloads, with the same code, before anything leaves: the HTTP
// receiver gets no request, the events server no event, Redis no entry, the directory no file.

const cyclic: Record<string, unknown> = { name: 'loop' };
cyclic['self'] = cyclic;

const badPayloads: [what: string, payload: unknown, path: string][] = [
  ['a function', { items: [1, 2, () => 3] }, 'payload.items[2] is a function'],
  ['a method', { total: 3, format() {} }, 'payload.format is a function'],
  ['a symbol', { tag: Symbol('t') }, 'payload.tag is a symbol'],
  ['a circular reference', { order: cyclic }, 'payload.order.self is a circular reference'],
  ['undefined in an array', { items: ['a', undefined] }, 'payload.items[1] is undefined'],
  ['NaN', { total: NaN }, 'payload.total is NaN'],
  ['Infinity', { limits: [Infinity] }, 'payload.limits[0] is Infinity'],
  ['-Infinity', -Infinity, 'payload is -Infinity'],
  ['a Map', { byId: new Map([['a', 1]]) }, 'payload.byId is a Map'],
];

const badOptions: [what: string, options: PublishOptions][] = [
  ['CR/LF in an attribute', { attributes: { region: 'eu\r\nx-injected: 1' } }],
  ['LF in the topic', { topic: 'orders\nx-injected: 1' }],
  ['NUL in an attribute name', { attributes: { 'a\u0000b': 'x' } }],
];

describe('what JSON cannot carry, and what a header cannot', () => {
  let redisServer: RedisServer;
  let redis: Redis;
  let http: RunningServer;
  let events: RunningServer;
  let directory: string;
  let httpRequests = 0;
  let eventsReceived = 0;
  let sinks: [name: string, sink: Sink][];

  beforeAll(async () => {
    redisServer = await startRedisServer();
    redis = new Redis(redisServer.url);
    http = await listen((request, response) => {
      httpRequests++;
      void readBody(request).then(() => response.writeHead(204).end());
    });
    const registry = new EventRegistry().register({
      name: 'order:placed',
      handler: () => {
        eventsReceived++;
      },
    });
    events = await listen(createEventServer(new EventProcessor(registry)));
    directory = await mkdtemp(join(tmpdir(), 'serialization-'));
    sinks = [
      ['HttpSink', new HttpSink({ url: `${http.origin}/hooks`, timeouts: 2000 })],
      [
        'HttpSink (CloudEvents, structured)',
        new HttpSink({ url: `${http.origin}/hooks`, cloudEvents: { mode: 'structured', source: '/shop' } }),
      ],
      [
        'HttpSink (CloudEvents, binary)',
        new HttpSink({ url: `${http.origin}/hooks`, cloudEvents: { mode: 'binary', source: '/shop' } }),
      ],
      ['FileSink', new FileSink({ directory })],
      ['RedisStreamSink', new RedisStreamSink({ redis, stream: () => 'refused' })],
      ['RecordingSink', new RecordingSink()],
      ['EventsProtocolSink', new EventsProtocolSink({ url: `${events.origin}/events`, timeout: 2000 })],
    ];
  });

  afterAll(async () => {
    await Promise.all(sinks.map(async ([, sink]) => sink.close?.()));
    redis.disconnect();
    await Promise.all([redisServer.stop(), http.close(), events.close()]);
    await rm(directory, { recursive: true, force: true });
  });

  async function codeOf(sink: Sink, event: PublishedEvent, options?: PublishOptions): Promise<[string, string]> {
    const failure: unknown = await sink.publish(event, options).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    if (!isPublishError(failure)) throw new Error(`${sink.name} took the event, or failed with ${String(failure)}`);
    return [failure.code, failure.message];
  }

  async function nothingLeft(): Promise<void> {
    expect(httpRequests).toBe(0);
    expect(eventsReceived).toBe(0);
    expect(await redis.exists('refused')).toBe(0);
    expect(await readdir(directory)).toEqual([]);
    for (const [, sink] of sinks) if (sink instanceof RecordingSink) expect(sink.events).toEqual([]);
  }

  it.each(badPayloads)(
    'every sink refuses %s in the payload as SERIALIZATION_FAILED, naming its path',
    async (_what, payload, path) => {
      const event = createPublishedEvent({ name: 'order:placed', payload });
      for (const [name, sink] of sinks) {
        const [code, message] = await codeOf(sink, event);
        expect(code, name).toBe('SERIALIZATION_FAILED');
        expect(message, name).toContain(path);
      }
      await nothingLeft();
    },
  );

  it('refuses a bad payload in a batch without losing the good events beside it', async () => {
    const sink = sinks.find(([name]) => name === 'RedisStreamSink')?.[1] as RedisStreamSink;
    const good = createPublishedEvent({ name: 'order:placed', payload: { ok: 1 } });
    const bad = createPublishedEvent({ name: 'order:placed', payload: { total: NaN } });
    const outcomes = await sink.publishBatch([{ event: good, options: { topic: 'batch' } }, { event: bad }]);
    expect(outcomes[0]?.status).toBe('fulfilled');
    const failure: unknown = outcomes[1]?.status === 'rejected' ? outcomes[1].reason : undefined;
    expect(isPublishError(failure) && failure.code).toBe('SERIALIZATION_FAILED');
    await redis.del('refused');
  });

  it.each(badOptions)('every sink refuses %s as INVALID_EVENT before any I/O', async (_what, options) => {
    const event = createPublishedEvent({ name: 'order:placed', payload: { ok: true } });
    for (const [name, sink] of sinks) {
      const [code, message] = await codeOf(sink, event, options);
      expect(code, name).toBe('INVALID_EVENT');
      expect(message).not.toContain('x-injected');
    }
    await nothingLeft();
  });

  it('refuses an event whose id would become a broken CloudEvent header, as INVALID_EVENT', async () => {
    const binary = sinks.find(([name]) => name.includes('binary'))?.[1] as Sink;
    const event = { ...createPublishedEvent({ name: 'order:placed', payload: 1 }), id: 'e-1\r\nx-injected: 1' };
    expect((await codeOf(binary, event))[0]).toBe('INVALID_EVENT');
    expect(httpRequests).toBe(0);
  });

  it('refuses HttpSink headers HTTP cannot carry when the sink is made', () => {
    expect(() => new HttpSink({ url: http.origin, headers: { 'x-tenant': 'acme\r\nx-injected: 1' } })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS' }),
    );
    expect(() => new HttpSink({ url: http.origin, headers: { 'bad header': 'x' } })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS' }),
    );
    // A CloudEvent has no place for identity: asking for both is a configuration error, not a silent drop.
    expect(
      () => new HttpSink({ url: http.origin, includeIdentity: true, cloudEvents: { mode: 'binary', source: '/shop' } }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
  });

  it('still sends what JSON carries exactly: bigints, dates, undefined properties left out', async () => {
    const event = createPublishedEvent({
      name: 'order:placed',
      payload: { id: 2n ** 64n, at: new Date(0), note: undefined, list: [null, -0.5] },
    });
    for (const [name, sink] of sinks)
      await expect(
        sink.publish(event).then(() => 'taken'),
        name,
      ).resolves.toBe('taken');
    expect(httpRequests).toBe(3);
    expect(eventsReceived).toBe(1);
  });
});
