import { Outbox } from '@events-protocol/outbox';
import { SqliteOutboxStore } from '@events-protocol/outbox/sqlite';
import {
  FileSink,
  HttpSink,
  isPublishError,
  RecordingSink,
  TopicPublisher,
  type PublishedEvent,
  type TopicAttributes,
  type TopicMessage,
} from '@events-protocol/publish';
import { RedisStreamSink } from '@events-protocol/publish/redis';
import { DurableTopicPublisher } from '@events-protocol/topics';
import fc from 'fast-check';
import type { IncomingHttpHeaders } from 'node:http';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, readBody, type RunningServer } from '../support/http-server.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

const badMessages: [string, unknown, RegExp][] = [
  ['null', null, /must be an object with a name, got null/],
  ['a string', 'order:placed', /must be an object with a name, got "order:placed"/],
  ['an array', [], /must be an object with a name, got an array/],
  ['a nameless message', { payload: { orderId: 'o-1' } }, /needs a name \(a non-empty string\), got undefined/],
  ['an empty name', { name: '', payload: 1 }, /needs a name .*, got ""/],
  ['a numeric name', { name: 42, payload: 1 }, /needs a name .*, got number 42/],
  ['version 0', { name: 'x', version: 0, payload: 1 }, /version must be an integer of at least 1, got number 0/],
  ['version "2"', { name: 'x', version: '2', payload: 1 }, /version must be .*, got "2"/],
  ['an empty id', { name: 'x', id: '', payload: 1 }, /id must be a non-empty string/],
  ['metadata as an array', { name: 'x', metadata: [], payload: 1 }, /metadata must be an object, got an array/],
  ['auth as a string', { name: 'x', auth: 'token', payload: 1 }, /auth must be an object/],
  ['an invalid createdAt', { name: 'x', createdAt: 'yesterday', payload: 1 }, /createdAt must be a valid Date/],
];

describe('a topic message is checked the same by TopicPublisher and DurableTopicPublisher', () => {
  it.each(badMessages)('%s is INVALID_EVENT, and nothing is published or stored', async (_name, message, reason) => {
    const sink = new RecordingSink();
    const topics = new TopicPublisher({ orders: sink });
    const outbox = new Outbox({ store: new SqliteOutboxStore({ filename: ':memory:' }) });
    const durable = new DurableTopicPublisher({ topics: { orders: sink }, outbox });
    const errors = [
      await rejectionOf(topics.publish('orders', message as TopicMessage)),
      await rejectionOf(durable.publish('orders', message as TopicMessage)),
      await rejectionOf(durable.publish('orders', message as TopicMessage, {}, { delayMs: 1000 })),
      await rejectionOf(durable.publishMany('orders', [{ name: 'fine', payload: 1 }, message as TopicMessage])),
    ];
    for (const error of errors) {
      expect(isPublishError(error) && error.code).toBe('INVALID_EVENT');
      expect((error as Error).message).toMatch(reason);
    }
    sink.assertPublished();
    expect((await outbox.listUndelivered()).events).toEqual([]);
    expect(await outbox.pendingCount()).toBe(0);
  });

  it('fills what an init leaves out, and publishes a whole event as it is', async () => {
    const sink = new RecordingSink();
    const topics = new TopicPublisher({ orders: sink });
    const made = await topics.publish('orders', { name: 'order:placed' } as TopicMessage);
    expect(made).toMatchObject({ name: 'order:placed', version: 1, payload: null, identity: {}, auth: {} });
    const whole: PublishedEvent = { ...made, id: 'given-id', createdAt: '2026-01-02T03:04:05Z' };
    expect(await topics.publish('orders', whole)).toBe(whole);
    const timed = await topics.publish('orders', { name: 'x', payload: 1, createdAt: '2026-01-02T03:04:05Z' } as never);
    expect(timed.createdAt).toBe('2026-01-02T03:04:05.000Z');
  });
});

describe('attributes reach every sink as the same strings', () => {
  let redisServer: RedisServer;
  let redis: Redis;
  let receiver: RunningServer;
  const headers = new Map<string, IncomingHttpHeaders>();
  let directory: string;
  let topics: TopicPublisher;
  let recording: RecordingSink;

  beforeAll(async () => {
    redisServer = await startRedisServer();
    redis = new Redis(redisServer.url);
    receiver = await listen((request, response) => {
      void readBody(request).then((body) => {
        if (request.method === 'POST') headers.set((JSON.parse(body) as { id: string }).id, request.headers);
        response.writeHead(204).end();
      });
    });
    directory = await mkdtemp(join(tmpdir(), 'attributes-'));
    recording = new RecordingSink();
    topics = new TopicPublisher({
      recording,
      http: new HttpSink({ url: receiver.origin }),
      file: new FileSink({ directory, sync: false }),
      redis: new RedisStreamSink({ redis, stream: () => 'attributes' }),
    });
  });

  afterAll(async () => {
    await topics.close();
    redis.disconnect();
    await Promise.all([redisServer.stop(), receiver.close(), rm(directory, { recursive: true, force: true })]);
  });

  /** The attributes each sink's target received for the event. */
  async function arrived(id: string): Promise<Record<string, Record<string, string>>> {
    const prefix = 'x-event-attribute-';
    const http = Object.fromEntries(
      Object.entries(headers.get(id) ?? {}).flatMap(([name, value]) =>
        name.startsWith(prefix) ? [[name.slice(prefix.length), String(value)]] : [],
      ),
    );
    const file = (await readdir(directory)).find((name) => name.includes(id));
    const stored = JSON.parse(await readFile(join(directory, file ?? 'missing'), 'utf8')) as {
      attributes?: Record<string, string>;
    };
    const entries = await redis.xrange('attributes', '-', '+');
    const fields = entries.find(([, values]) => values.includes(id))?.[1] ?? [];
    const redisAttributes: Record<string, string> = {};
    for (let index = 0; index < fields.length; index += 2) {
      const name = fields[index] ?? '';
      if (name.startsWith('attr:')) redisAttributes[name.slice('attr:'.length)] = fields[index + 1] ?? '';
    }
    return {
      recording: { ...recording.recorded.find((each) => each.event.id === id)?.options.attributes },
      http,
      file: stored.attributes ?? {},
      redis: redisAttributes,
    };
  }

  async function publishEverywhere(attributes: TopicAttributes): Promise<Record<string, Record<string, string>>> {
    const event = await topics.publish('recording', { name: 'order:placed', payload: { orderId: 'o-1' } }, attributes);
    for (const topic of ['http', 'file', 'redis']) await topics.publish(topic, event, attributes);
    return arrived(event.id);
  }

  it('stringifies numbers and booleans, lowercases keys, the same on Recording, HTTP, file and Redis', async () => {
    const expected = { region: 'eu', priority: '3', ratio: '0.5', urgent: 'true', tenant: 'acme', empty: '' };
    const received = await publishEverywhere({
      region: 'eu',
      priority: 3,
      ratio: 0.5,
      urgent: true,
      Tenant: 'acme',
      empty: '',
    });
    expect(received).toEqual({ recording: expected, http: expected, file: expected, redis: expected });
  });

  it('for any valid attributes, every sink receives the same strings (property)', async () => {
    const key = fc
      .stringMatching(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,12}$/)
      .filter((name) => name.toLowerCase() !== '__proto__');
    const text = fc.stringMatching(/^(?:[\x21-\x7e](?:[\x20-\x7e]{0,10}[\x21-\x7e])?)?$/);
    const value = fc.oneof(text, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean());
    const attributes = fc.uniqueArray(fc.tuple(key, value), { selector: ([name]) => name.toLowerCase(), maxLength: 6 });
    await fc.assert(
      fc.asyncProperty(attributes, async (pairs) => {
        const expected = Object.fromEntries(pairs.map(([name, each]) => [name.toLowerCase(), String(each)]));
        const received = await publishEverywhere(Object.fromEntries(pairs));
        expect(received).toEqual({ recording: expected, http: expected, file: expected, redis: expected });
      }),
      { numRuns: 60 },
    );
  }, 120_000);

  it.each<[string, unknown, RegExp]>([
    ['null', { region: null }, /'region' must be a string, a finite number or a boolean, got null/],
    ['undefined', { region: undefined }, /got undefined/],
    ['an object', { region: { code: 'eu' } }, /got object/],
    ['an array', { tags: ['a'] }, /got an array/],
    ['NaN', { score: Number.NaN }, /got NaN/],
    ['a newline', { region: 'eu\nx-injected: 1' }, /printable ASCII/],
    ['a space at the end', { region: 'eu ' }, /no space at either end/],
    ['non-ASCII text', { city: 'São Paulo' }, /printable ASCII/],
    ['a key with a space', { 'my key': 'v' }, /the key "my key" must be an HTTP token/],
    ['an empty key', { '': 'v' }, /the key "" must be an HTTP token/],
    ['the key __proto__', JSON.parse('{"__proto__":"v"}'), /the key "__proto__" is reserved/],
    ['keys differing only in case', { Region: 'eu', region: 'us' }, /two keys are 'region'/],
    ['not an object', 'region=eu', /attributes must be an object/],
  ])('%s is INVALID_EVENT, on every path, and nothing is written', async (_name, attributes, reason) => {
    const sink = new RecordingSink();
    const outbox = new Outbox({ store: new SqliteOutboxStore({ filename: ':memory:' }) });
    const durable = new DurableTopicPublisher({ topics: { orders: sink }, outbox });
    const message = { name: 'order:placed', payload: null };
    const errors = [
      await rejectionOf(new TopicPublisher({ orders: sink }).publish('orders', message, attributes as TopicAttributes)),
      await rejectionOf(durable.publish('orders', message, attributes as TopicAttributes)),
      await rejectionOf(durable.publishMany('orders', [message], attributes as TopicAttributes)),
    ];
    for (const error of errors) {
      expect(isPublishError(error) && error.code).toBe('INVALID_EVENT');
      expect((error as Error).message).toMatch(reason);
    }
    sink.assertPublished();
    expect((await outbox.listUndelivered()).events).toEqual([]);
    expect(await outbox.pendingCount()).toBe(0);
  });
});
