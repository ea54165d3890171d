import {
  CompositeSink,
  createPublishedEvent,
  EventsProtocolSink,
  FileSink,
  HttpSink,
  isPublishError,
  NoopSink,
  RecordingSink,
  type Sink,
} from '@events-protocol/publish';
import { RedisStreamSink } from '@events-protocol/publish/redis';
import { createEventServer, EventProcessor, EventRegistry } from '@events-protocol/server';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, readBody, type RunningServer } from '../support/http-server.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';

/** A sink under test and a count of what actually reached its target. */
interface Subject {
  readonly sink: Sink;
  written(): Promise<number>;
}

let redisServer: RedisServer;
let redis: Redis;
let httpTarget: RunningServer;
let httpRequests = 0;
let eventsServer: RunningServer;
let eventsReceived = 0;
let directory: string;
let streams = 0;

beforeAll(async () => {
  redisServer = await startRedisServer();
  redis = new Redis(redisServer.url);
  httpTarget = await listen((request, response) => {
    void readBody(request).then(() => {
      if (request.method === 'POST') httpRequests++;
      response.writeHead(204).end();
    });
  });
  const registry = new EventRegistry().register({
    name: 'order:placed',
    handler: () => {
      eventsReceived++;
    },
  });
  eventsServer = await listen(createEventServer(new EventProcessor(registry)));
  directory = await mkdtemp(join(tmpdir(), 'close-'));
});

afterAll(async () => {
  redis.disconnect();
  await Promise.all([redisServer.stop(), httpTarget.close(), eventsServer.close()]);
  await rm(directory, { recursive: true, force: true });
});

function redisSubject(connection: 'owned' | 'shared'): Subject {
  const stream = `closing-${streams++}`;
  const sink = new RedisStreamSink({ redis: connection === 'owned' ? redisServer.url : redis, stream: () => stream });
  return { sink, written: () => redis.xlen(stream) };
}

const subjects: Record<string, () => Subject> = {
  NoopSink: () => ({ sink: new NoopSink(), written: () => Promise.resolve(0) }),
  RecordingSink: () => {
    const sink = new RecordingSink();
    return { sink, written: () => Promise.resolve(sink.events.length) };
  },
  FileSink: () => {
    const target = join(directory, `files-${streams++}`);
    return {
      sink: new FileSink({ directory: target }),
      written: async () => (await readdir(target).catch(() => [])).length,
    };
  },
  'RedisStreamSink (its own connection)': () => redisSubject('owned'),
  'RedisStreamSink (a connection it was given)': () => redisSubject('shared'),
  HttpSink: () => {
    const before = httpRequests;
    return { sink: new HttpSink({ url: httpTarget.origin }), written: () => Promise.resolve(httpRequests - before) };
  },
  EventsProtocolSink: () => {
    const before = eventsReceived;
    return {
      sink: new EventsProtocolSink({ url: `${eventsServer.origin}/events`, timeout: 2000 }),
      written: () => Promise.resolve(eventsReceived - before),
    };
  },
  CompositeSink: () => {
    const [a, b] = [new RecordingSink('a'), new RecordingSink('b')];
    return {
      sink: new CompositeSink([a, b]),
      written: () => Promise.resolve(a.events.length + b.events.length),
    };
  },
};

describe.each(Object.entries(subjects))('%s after close()', (_name, make) => {
  it('rejects publish (and publishBatch) with CLOSED, writes nothing, and closes again quietly', async () => {
    const subject = make();
    const { sink } = subject;
    const written = (): Promise<number> => subject.written();
    await sink.publish(createPublishedEvent({ name: 'order:placed', payload: { n: 1 } }), { topic: 'orders' });
    const before = await written();
    await sink.close?.();

    const error: unknown = await sink
      .publish(createPublishedEvent({ name: 'order:placed', payload: { n: 2 } }), { topic: 'orders' })
      .then(
        () => undefined,
        (caught: unknown) => caught,
      );
    expect(isPublishError(error) && error.code).toBe('CLOSED');
    if (sink.publishBatch !== undefined) {
      const outcomes = await sink.publishBatch([
        { event: createPublishedEvent({ name: 'order:placed', payload: { n: 3 } }), options: { topic: 'orders' } },
        { event: createPublishedEvent({ name: 'order:placed', payload: { n: 4 } }) },
      ]);
      expect(
        outcomes.map((outcome) => outcome.status === 'rejected' && (outcome.reason as { code?: unknown }).code),
      ).toEqual(['CLOSED', 'CLOSED']);
    }
    await expect(sink.close?.()).resolves.toBeUndefined();
    await expect(Promise.all([sink.close?.(), sink.close?.()])).resolves.toBeDefined();
    expect(await written()).toBe(before);
  });
});
