import { fixedSchedule } from '@events-protocol/core';
import type { PublishedEvent, PublishOptions, Sink } from '@events-protocol/publish';
import { afterEach, describe, expect, it } from 'vitest';
import { OutboxRelay } from './outbox-relay.js';
import { Outbox } from './outbox.js';
import { SqliteOutboxStore } from './sqlite-outbox-store.js';

function event(id: string): PublishedEvent {
  return {
    name: 'order:created',
    version: 1,
    id,
    flowId: 'flow-1',
    payload: { id },
    identity: {},
    auth: {},
    metadata: {},
    createdAt: '2026-01-01T00:00:00.000Z',
  };
}

/** A sink that records what it got and fails while `failing` is set. */
class MemorySink implements Sink {
  readonly name = 'memory';
  readonly published: { event: PublishedEvent; options: PublishOptions | undefined }[] = [];
  failing: Error | undefined;
  gate: Promise<void> | undefined;
  entered: (() => void) | undefined;

  async publish(published: PublishedEvent, options?: PublishOptions): Promise<void> {
    this.entered?.();
    await this.gate;
    if (this.failing !== undefined) throw this.failing;
    this.published.push({ event: published, options });
  }

  healthCheck(): Promise<boolean> {
    return Promise.resolve(true);
  }
}

const stores: SqliteOutboxStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()));
});

function setup(now = { ms: Date.parse('2026-01-01T00:00:00Z') }) {
  const store = new SqliteOutboxStore({ filename: ':memory:' });
  stores.push(store);
  const sink = new MemorySink();
  const clock = (): number => now.ms;
  const outbox = new Outbox({ store, clock });
  return { store, sink, outbox, now, clock };
}

describe('OutboxRelay', () => {
  it('publishes due events with their topic and attributes, and marks them delivered', async () => {
    const { sink, outbox } = setup();
    await outbox.enqueue(event('a'), { topic: 'orders', attributes: { tenant: 'acme' } });
    const relay = outbox.relay({ sink });
    expect(await relay.runOnce()).toEqual({ claimed: 1, delivered: 1, retried: 0, undelivered: 0, unrecorded: 0 });
    expect(sink.published[0]?.event).toEqual(event('a'));
    expect(sink.published[0]?.options).toMatchObject({ topic: 'orders', attributes: { tenant: 'acme' } });
    expect(await outbox.pendingCount()).toBe(0);
  });

  it('retries on the schedule and moves the event to undelivered after the last attempt', async () => {
    const { sink, outbox, now } = setup();
    await outbox.enqueue(event('a'), { topic: 'orders' });
    sink.failing = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const relay = outbox.relay({ sink, schedule: { schedule: 'fixed', options: { delayMs: 1000, maxAttempts: 3 } } });
    expect(await relay.runOnce()).toMatchObject({ claimed: 1, retried: 1 });
    now.ms += 999;
    expect(await relay.runOnce()).toMatchObject({ claimed: 0 });
    now.ms += 1;
    expect(await relay.runOnce()).toMatchObject({ claimed: 1, retried: 1 });
    now.ms += 1000;
    expect(await relay.runOnce()).toMatchObject({ claimed: 1, undelivered: 1 });
    const [undelivered] = (await outbox.listUndelivered()).events;
    expect(undelivered).toMatchObject({ id: 'a', topic: 'orders', attempts: 3, failedAt: new Date(now.ms) });
    expect(undelivered?.errors).toEqual(
      [1, 2, 3].map((attempt) => ({
        attempt,
        at: expect.any(String),
        name: 'Error',
        code: 'ECONNREFUSED',
        message: 'connect ECONNREFUSED',
      })),
    );
  });

  it('counts an outcome whose claim another relay took over as unrecorded, and marks nothing', async () => {
    const { sink, outbox, store, now, clock } = setup();
    await outbox.enqueue(event('a'));
    let release = (): void => undefined;
    sink.gate = new Promise((resolve) => (release = resolve));
    const slow = new OutboxRelay({ store, sink, clock, leaseMs: 1000 });
    const slowRun = slow.runOnce();
    await new Promise((resolve) => setImmediate(resolve));
    now.ms += 1001;
    sink.gate = undefined;
    const fast = new OutboxRelay({ store, sink, clock, leaseMs: 1000 });
    expect(await fast.runOnce()).toMatchObject({ claimed: 1, delivered: 1 });
    release();
    expect(await slowRun).toMatchObject({ claimed: 1, delivered: 0, unrecorded: 1 });
    expect(sink.published.map((published) => published.event.id)).toEqual(['a', 'a']);
  });

  it('counts attempts that never end against the budget: no publish beyond maxAttempts', async () => {
    const { sink, outbox, store, now, clock } = setup();
    await outbox.enqueue(event('poison'));
    await outbox.enqueue(event('innocent'));
    // Every publish of the poison event hangs, like a relay that died mid-send.
    const handed: string[] = [];
    const hanging: Sink = {
      name: 'hanging',
      publish: (published, options) => {
        handed.push(published.id);
        return published.id === 'poison' ? new Promise(() => undefined) : sink.publish(published, options);
      },
      healthCheck: () => Promise.resolve(true),
    };
    const schedule = fixedSchedule({ delayMs: 1000, maxAttempts: 3 });
    const relay = (): OutboxRelay => new OutboxRelay({ store, sink: hanging, clock, schedule, leaseMs: 1000 });
    void relay().runOnce(); // claims both; the innocent event is delivered, the poison one hangs
    for (let attempt = 2; attempt <= 3; attempt++) {
      await new Promise((resolve) => setImmediate(resolve));
      now.ms += 1000;
      void relay().runOnce();
    }
    await new Promise((resolve) => setImmediate(resolve));
    now.ms += 1000;
    const last = relay().runOnce();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(handed).toEqual(['poison', 'innocent', 'poison', 'poison']);
    expect(await last).toMatchObject({ claimed: 0 });
    expect(sink.published.map((published) => published.event.id)).toEqual(['innocent']);
    const undelivered = await outbox.getUndelivered('poison');
    expect(undelivered).toMatchObject({ attempts: 3, failedAt: new Date(now.ms) });
    expect(undelivered?.errors.map((error) => [error.attempt, error.code])).toEqual([
      [1, 'LEASE_EXPIRED'],
      [2, 'LEASE_EXPIRED'],
      [3, 'LEASE_EXPIRED'],
    ]);
    expect(await outbox.pendingCount()).toBe(0);
  });

  it('stop() waits for the publish in flight and records it', async () => {
    const { sink, outbox } = setup();
    await outbox.enqueue(event('a'));
    let release = (): void => undefined;
    sink.gate = new Promise((resolve) => (release = resolve));
    const relay = outbox.relay({ sink, pollIntervalMs: 5 });
    const entered = new Promise<void>((resolve) => (sink.entered = resolve));
    relay.start();
    relay.start();
    expect(relay.running).toBe(true);
    await entered;
    let stopped = false;
    const stopping = relay.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(relay.running).toBe(false);
    expect(sink.published).toHaveLength(1);
    expect(await outbox.pendingCount()).toBe(0);
  });

  it('takes a schedule object as well as a definition', async () => {
    const { sink, outbox } = setup();
    await outbox.enqueue(event('a'));
    sink.failing = new Error('down');
    const relay = outbox.relay({ sink, schedule: fixedSchedule({ delayMs: 0, maxAttempts: 1 }) });
    expect(await relay.runOnce()).toMatchObject({ undelivered: 1 });
  });

  it('refuses options it cannot use', () => {
    const { sink, store } = setup();
    expect(() => new OutboxRelay({ store, sink, schedule: { schedule: 'sometimes' } })).toThrow(
      expect.objectContaining({ name: 'OutboxError', code: 'INVALID_OPTIONS' }),
    );
    expect(() => new OutboxRelay({ store, sink, batchSize: 0 })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS' }),
    );
  });

  it('hands a claimed batch to a sink that takes batches in one call, recording each outcome', async () => {
    const store = new SqliteOutboxStore({ filename: ':memory:' });
    const calls: number[] = [];
    const sink: Sink = {
      name: 'batching',
      publish: () => Promise.reject(new Error('publish one by one was not expected')),
      publishBatch: (batch) => {
        calls.push(batch.length);
        return Promise.resolve(
          batch.map((item): PromiseSettledResult<void> =>
            item.event.id === 'e-2'
              ? { status: 'rejected', reason: new Error('rejected by the target') }
              : { status: 'fulfilled', value: undefined },
          ),
        );
      },
      healthCheck: () => Promise.resolve(true),
    };
    const outbox = new Outbox({ store });
    for (let index = 1; index <= 4; index++) await outbox.enqueue(event(`e-${index}`), { topic: 't' });
    const relay = outbox.relay({ sink, schedule: fixedSchedule({ delayMs: 60_000, maxAttempts: 3 }) });
    expect(await relay.runOnce()).toEqual({ claimed: 4, delivered: 3, retried: 1, undelivered: 0, unrecorded: 0 });
    expect(calls).toEqual([4]);
    expect(await store.pendingCount()).toBe(1);
    await store.close();
  });
});
