import { connect } from '@nats-io/transport-node';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { startNatsServer } from '../support/nats-server.js';
import { startRedisServer } from '../support/redis-server.js';
import { startConsumerChild, stopChild, type ConsumerChild } from './consumer-children.js';
import { startJetStream } from './jetstream-harness.js';
import { startRedisStream } from './redis-stream-harness.js';
import { publishedEvent, waitFor, type StreamUnderTest } from './stream-harness.js';

const eventCount = 800;
const kills = 8;

/** A small seeded generator (mulberry32), so a failing run can be replayed with its seed. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Two consumer processes handle a stream while the test publishes `eventCount` events; one of them
 * is SIGKILLed at a random moment (once it has handled something since the last kill, so every
 * kill lands mid-flow) and restarted, `kills` times. Then every published event must have been
 * handled (0 lost), nothing may be left pending or dead-lettered, and every handled id must be a
 * published one (duplicates only by id). STREAM_CRASH_SEED replays a run.
 */
async function runCrashTest(stream: StreamUnderTest): Promise<void> {
  const seed = Number(process.env.STREAM_CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));
  console.log(`stream crash test: seed ${seed}`);
  const random = seededRandom(seed);
  const handled = new Map<string, number>();
  let lines = 0;
  const onHandled = (id: string): void => {
    lines += 1;
    handled.set(id, (handled.get(id) ?? 0) + 1);
  };
  const start = (): ConsumerChild => startConsumerChild({ ...stream.consumerEnv }, onHandled);
  const children = [start(), start()];
  try {
    await Promise.all(children.map((child) => child.ready));
    const published = new Set<string>();
    const publishChunk = async (from: number, to: number): Promise<void> => {
      for (let n = from; n < to; n += 1) {
        const event = publishedEvent('crash:event', { n });
        await stream.publish(event);
        published.add(event.id);
        if (n % 10 === 9) await sleep(5);
      }
    };
    const chunk = eventCount / kills;
    for (let kill = 0; kill < kills; kill += 1) {
      // Each kill lands while a chunk of events is being published and handled.
      const seen = lines;
      const publishing = publishChunk(kill * chunk, (kill + 1) * chunk);
      await waitFor('a consumer handled something since the last kill', () => lines > seen);
      await sleep(random() * 40);
      const index = random() < 0.5 ? 0 : 1;
      await stopChild(children[index]!, 'SIGKILL');
      await publishing;
      children[index] = start();
      await children[index].ready;
    }
    await waitFor(`all ${eventCount} events handled`, () => [...published].every((id) => handled.has(id)), 120_000);
    await Promise.all(children.map((child) => stopChild(child, 'SIGTERM')));
    expect([...handled.keys()].filter((id) => !published.has(id))).toEqual([]);
    expect(await stream.unsettled()).toBe(0);
    expect(await stream.deadLetters()).toEqual([]);
    const duplicates = [...handled.values()].filter((count) => count > 1).length;
    console.log(`stream crash test: ${eventCount} events, ${kills} kills, ${duplicates} handled more than once`);
  } finally {
    await Promise.all(children.map((child) => stopChild(child, 'SIGKILL')));
  }
}

describe('stream consumers killed with kill -9 and restarted lose nothing', () => {
  it('on a Redis Streams consumer group', { timeout: 240_000 }, async () => {
    await using server = await startRedisServer();
    await using stream = await startRedisStream(server.url);
    await runCrashTest(stream);
  });

  it('on a JetStream durable consumer', { timeout: 240_000 }, async () => {
    await using server = await startNatsServer();
    const connection = await connect({ servers: server.url });
    try {
      await using stream = await startJetStream(connection, server.url);
      await runCrashTest(stream);
    } finally {
      await connection.drain();
    }
  });
});
