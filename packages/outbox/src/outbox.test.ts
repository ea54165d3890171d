import type { PublishedEvent } from '@events-protocol/publish';
import { afterEach, describe, expect, it } from 'vitest';
import { isOutboxError } from './outbox-error.js';
import { Outbox } from './outbox.js';
import { SqliteOutboxStore } from './sqlite-outbox-store.js';

const event: PublishedEvent = {
  name: 'order:created',
  version: 1,
  id: 'event-1',
  flowId: 'flow-1',
  payload: { total: 12 },
  identity: {},
  auth: {},
  metadata: {},
  createdAt: '2026-01-01T00:00:00.000Z',
};

const stores: SqliteOutboxStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()));
});

function openOutbox(now = Date.parse('2026-01-01T00:00:00Z')): Outbox {
  const store = new SqliteOutboxStore({ filename: ':memory:' });
  stores.push(store);
  return new Outbox({ store, clock: () => now });
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.unreachable('expected a rejection'),
    (error: unknown) => error,
  );
}

describe('Outbox', () => {
  it('stores an event before enqueue resolves', async () => {
    const outbox = openOutbox();
    await outbox.enqueue(event, { topic: 'orders' });
    expect(await outbox.pendingCount()).toBe(1);
  });

  it('refuses what is not a publishable event', async () => {
    const outbox = openOutbox();
    const noId = await rejection(outbox.enqueue({ ...event, id: '' }));
    expect(noId).toMatchObject({ name: 'OutboxError', code: 'INVALID_EVENT' });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const notJson = await rejection(outbox.enqueue({ ...event, payload: cyclic }));
    expect(notJson).toMatchObject({ code: 'INVALID_EVENT', cause: expect.any(TypeError) });
    expect(await outbox.pendingCount()).toBe(0);
  });

  it('refuses an empty topic and attributes that are not strings', async () => {
    const outbox = openOutbox();
    await expect(outbox.enqueue(event, { topic: '' })).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
    const attributes = { retries: 3 } as unknown as Record<string, string>;
    await expect(outbox.enqueue(event, { attributes })).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
    expect(await outbox.pendingCount()).toBe(0);
  });

  it('stores nothing when the signal aborted first', async () => {
    const outbox = openOutbox();
    const error = await rejection(outbox.enqueue(event, { signal: AbortSignal.abort() }));
    expect(isOutboxError(error) && error.code).toBe('ABORTED');
    expect(await outbox.pendingCount()).toBe(0);
  });

  it('rejects with ENQUEUE_FAILED and the store error as cause when the store cannot store', async () => {
    const outbox = openOutbox();
    await outbox.store.close();
    const error = await rejection(outbox.enqueue(event));
    expect(error).toMatchObject({ code: 'ENQUEUE_FAILED', cause: expect.any(Error) });
  });

  it('purges delivered events by retention period', async () => {
    const now = Date.parse('2026-01-10T00:00:00Z');
    const outbox = openOutbox(now);
    await outbox.enqueue(event);
    const [claimed] = await outbox.store.claim({ limit: 1, leaseMs: 1000, now: new Date(now), owner: 'test' });
    await outbox.store.markDelivered(claimed!, new Date(now - 3 * 86_400_000));
    expect(await outbox.purgeDelivered({ retentionMs: 7 * 86_400_000 })).toBe(0);
    expect(await outbox.purgeDelivered({ retentionMs: 2 * 86_400_000 })).toBe(1);
    await expect(outbox.purgeDelivered({ retentionMs: -1 })).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
  });
});
