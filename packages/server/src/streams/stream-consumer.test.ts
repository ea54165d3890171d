import { fixedSchedule } from '@events-protocol/core';
import { describe, expect, it } from 'vitest';
import { EventRegistry } from '../event-registry.js';
import { MemoryReplayStore } from '../memory-replay-store.js';
import { inProcessTransport } from '../transport-info.js';
import { StreamConsumer } from './stream-consumer.js';
import type { DeadLetter, StreamMessage, StreamSource } from './stream-source.js';

type Settled = { kind: 'ack' } | { kind: 'retry'; delayMs: number } | { kind: 'deadLetter'; letter: DeadLetter };

/** A source in memory: hands out its messages once, records how each was settled. */
class ListSource implements StreamSource {
  readonly name = 'list';
  readonly settled = new Map<string, Settled>();
  #waiting: StreamMessage[];
  #failures: number;

  constructor(messages: StreamMessage[], failures = 0) {
    this.#waiting = messages;
    this.#failures = failures;
  }

  async *pull(max: number): AsyncGenerator<StreamMessage> {
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (this.#failures > 0) {
      this.#failures -= 1;
      throw new Error('broker unreachable');
    }
    yield* this.#waiting.splice(0, max);
  }

  ack(message: StreamMessage): Promise<void> {
    this.settled.set(message.id, { kind: 'ack' });
    return Promise.resolve();
  }

  retry(message: StreamMessage, delayMs: number): Promise<void> {
    this.settled.set(message.id, { kind: 'retry', delayMs });
    return Promise.resolve();
  }

  deadLetter(message: StreamMessage, letter: DeadLetter): Promise<void> {
    this.settled.set(message.id, { kind: 'deadLetter', letter });
    return Promise.resolve();
  }
}

function message(id: string, eventId: string, attempt = 1): StreamMessage {
  const body = JSON.stringify({ name: 'unit:run', version: 1, id: eventId, flowId: 'f', payload: {} });
  return { id, body, headers: inProcessTransport.headers, subject: 'unit', attempt };
}

async function settledAll(source: ListSource, count: number): Promise<void> {
  while (source.settled.size < count) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('StreamConsumer', () => {
  it('dead-letters a message whose attempts were spent by crashes without running it', async () => {
    let runs = 0;
    const registry = new EventRegistry().register({ name: 'unit:run', handler: () => ({ runs: ++runs }) });
    const source = new ListSource([message('m1', 'e1', 4)]);
    const consumer = new StreamConsumer(registry, source, { retry: fixedSchedule({ delayMs: 10, maxAttempts: 3 }) });
    await settledAll(source, 1);
    await consumer.close();
    expect(runs).toBe(0);
    expect(source.settled.get('m1')).toEqual({ kind: 'deadLetter', letter: { reason: 'exhausted', attempts: 4 } });
  });

  it('gives a message back for later while another consumer runs the same event', async () => {
    const store = new MemoryReplayStore();
    await store.claim('stream\nunit:run\n1\ne1', 60_000);
    const registry = new EventRegistry().register({ name: 'unit:run', handler: () => ({}) });
    const source = new ListSource([message('m1', 'e1')]);
    const consumer = new StreamConsumer(registry, source, { dedup: { store }, busyDelayMs: 750 });
    await settledAll(source, 1);
    await consumer.close();
    expect(source.settled.get('m1')).toEqual({ kind: 'retry', delayMs: 750 });
  });

  it('pulls again after the source failed, and handles what it delivers then', async () => {
    const registry = new EventRegistry().register({ name: 'unit:run', handler: () => ({}) });
    const source = new ListSource([message('m1', 'e1')], 2);
    const consumer = new StreamConsumer(registry, source, { errorDelayMs: 5 });
    await settledAll(source, 1);
    expect(await consumer.close()).toMatchObject({ acknowledged: 1 });
  });

  it('refuses a concurrency that is not a positive integer', () => {
    expect(() => new StreamConsumer(new EventRegistry(), new ListSource([]), { concurrency: 0 })).toThrow(
      /concurrency must be a positive integer/,
    );
  });
});
