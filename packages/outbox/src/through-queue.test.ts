import type { PublishedEvent, Sink } from '@events-protocol/publish';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteOutboxStore } from './sqlite/index.js';
import { throughQueue } from './through-queue.js';

const event: PublishedEvent = {
  name: 'order:created',
  version: 1,
  id: 'event-1',
  flowId: 'flow-1',
  payload: {},
  identity: {},
  auth: {},
  metadata: {},
  createdAt: '2026-01-01T00:00:00.000Z',
};

function recordingSink(): Sink & { ids: string[]; closed: boolean } {
  return {
    name: 'recording',
    ids: [],
    closed: false,
    publish(published) {
      this.ids.push(published.id);
      return Promise.resolve();
    },
    healthCheck: () => Promise.resolve(true),
    close() {
      this.closed = true;
      return Promise.resolve();
    },
  };
}

const stores: SqliteOutboxStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()));
});

function openStore(): SqliteOutboxStore {
  const store = new SqliteOutboxStore({ filename: ':memory:' });
  stores.push(store);
  return store;
}

describe('throughQueue', () => {
  it('enqueues on publish and delivers through its relay', async () => {
    const target = recordingSink();
    const sink = throughQueue(target, openStore(), { pollIntervalMs: 5 });
    expect(sink.name).toBe('queue(recording)');
    await sink.publish(event, { topic: 'orders' });
    await expect.poll(() => target.ids).toEqual(['event-1']);
    await expect.poll(() => sink.outbox.pendingCount()).toBe(0);
    await sink.close();
    expect(target.closed).toBe(true);
    expect(sink.relay?.running).toBe(false);
  });

  it('only enqueues when its relay runs elsewhere', async () => {
    const target = recordingSink();
    const store = openStore();
    const sink = throughQueue(target, store, { relay: false });
    await sink.publish(event);
    expect(sink.relay).toBeUndefined();
    expect(await store.pendingCount()).toBe(1);
    expect(target.ids).toEqual([]);
    expect(await sink.healthCheck()).toBe(true);
    await sink.close();
  });

  it('rejects with a typed error when the store cannot take the event', async () => {
    const store = openStore();
    const sink = throughQueue(recordingSink(), store, { relay: false });
    await store.close();
    await expect(sink.publish(event)).rejects.toMatchObject({ name: 'OutboxError', code: 'ENQUEUE_FAILED' });
    expect(await sink.healthCheck()).toBe(false);
  });
});
