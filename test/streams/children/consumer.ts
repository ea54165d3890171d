// A consumer process for the crash test: handles `crash:event` from the stream its environment
// names until it is killed (SIGKILL) or stopped (SIGTERM drains it). Each handled event is printed
// (`handled <id>`) before the handler answers, so the parent knows what ran.
import { fixedSchedule } from '@events-protocol/core';
import { JetStreamSource } from '@events-protocol/nats';
import { EventRegistry } from '@events-protocol/server';
import { consume, RedisStreamSource, type StreamSource } from '@events-protocol/server/streams';
import { connect } from '@nats-io/transport-node';
import { Redis } from 'ioredis';
import { setTimeout as sleep } from 'node:timers/promises';

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
};

async function openSource(): Promise<{ source: StreamSource; close: () => Promise<void> }> {
  if (env('STREAM_KIND') === 'redis') {
    const redis = new Redis(env('BROKER_URL'));
    const source = new RedisStreamSource(redis, { stream: env('STREAM'), group: env('GROUP'), leaseMs: 1000 });
    return {
      source,
      close: async () => {
        await redis.quit();
      },
    };
  }
  const connection = await connect({ servers: env('BROKER_URL') });
  const source = new JetStreamSource({
    connection,
    stream: env('STREAM'),
    durable: env('GROUP'),
    deadLetterSubject: env('DEAD_SUBJECT'),
    ackWaitMs: 1000,
  });
  return { source, close: () => connection.drain() };
}

// CRASH_FAIL_RATE=0 leaves kills as the only failures (to show what they alone would lose).
const failRate = Number(process.env.CRASH_FAIL_RATE ?? '0.1');

const registry = new EventRegistry().register({
  name: 'crash:event',
  handler: async (event) => {
    await sleep(Math.random() * 30);
    // Some attempts fail, as a flaky dependency would: they are retried.
    if (Math.random() < failRate) throw new Error('flaky dependency');
    process.stdout.write(`handled ${event.id}\n`);
    return {};
  },
});

const { source, close } = await openSource();
const consumer = consume(registry, source, {
  concurrency: 8,
  retry: fixedSchedule({ delayMs: 20, maxAttempts: 1000 }),
  processor: { handlerTimeoutMs: 500 },
});
process.once('SIGTERM', () => {
  void consumer.close().then(async () => {
    await close();
    process.exit(0);
  });
});
process.stdout.write('consumer ready\n');
