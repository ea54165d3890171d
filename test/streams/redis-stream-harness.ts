import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { RedisStreamSink } from '@events-protocol/publish/redis';
import { RedisStreamSource } from '@events-protocol/server/streams';
import type { DeadLetterRecord, StreamUnderTest } from './stream-harness.js';

function fieldsOf(flat: readonly string[]): Map<string, string> {
  const fields = new Map<string, string>();
  for (let index = 0; index + 1 < flat.length; index += 2) fields.set(flat[index]!, flat[index + 1]!);
  return fields;
}

function eventIdOf(body: string | undefined): string | undefined {
  try {
    const value = JSON.parse(body ?? '') as { id?: unknown };
    return typeof value.id === 'string' ? value.id : undefined;
  } catch {
    return undefined;
  }
}

/** A fresh stream and consumer group on a real redis-server, published to by the real `RedisStreamSink`. */
export async function startRedisStream(url: string): Promise<StreamUnderTest> {
  const stream = `events:test-${randomUUID()}`;
  const group = 'consumers';
  const redis = new Redis(url);
  const sink = new RedisStreamSink({ redis, stream: () => stream });
  const clients: Redis[] = [redis];
  const close = async (): Promise<void> => {
    await sink.close();
    await Promise.all(clients.map((client) => client.quit()));
  };
  return {
    consumerEnv: { STREAM_KIND: 'redis', BROKER_URL: url, STREAM: stream, GROUP: group },
    source: (options = {}) => {
      const client = new Redis(url);
      clients.push(client);
      return new RedisStreamSource(client, { stream, group, pollIntervalMs: 20, ...options });
    },
    publish: (event) => sink.publish(event),
    publishText: async (text) => {
      await redis.xadd(stream, '*', 'event', text);
    },
    deadLetters: async (): Promise<DeadLetterRecord[]> => {
      const entries = await redis.xrange(`${stream}:dead`, '-', '+');
      return entries.map(([, flat]) => {
        const fields = fieldsOf(flat);
        const answer = fields.get('dead:answer');
        return {
          eventId: eventIdOf(fields.get('event')),
          reason: fields.get('dead:reason') ?? '',
          attempts: Number(fields.get('dead:attempts')),
          answerName: answer === undefined ? undefined : (JSON.parse(answer) as { name: string }).name,
        };
      });
    },
    unsettled: async () => {
      const groups = (await redis.call('XINFO', 'GROUPS', stream)) as unknown[][];
      const info = groups.map((row) => fieldsOf(row.map(String))).find((row) => row.get('name') === group);
      if (info === undefined) return redis.xlen(stream);
      return Number(info.get('pending') ?? 0) + Number(info.get('lag') ?? 0);
    },
    [Symbol.asyncDispose]: close,
  };
}
