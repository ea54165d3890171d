import type { PublishedEvent } from '@events-protocol/publish';
import { describe, expect, it } from 'vitest';
import { maxEntryIdLength } from './outbox-entry.js';
import { OutboxError, isOutboxError } from './outbox-error.js';
import { Outbox, maxBatchSize } from './outbox.js';
import type { OutboxEntry, OutboxStore, StoredEntry } from './outbox-store.js';

const event: PublishedEvent = {
  name: 'order:created',
  version: 1,
  id: 'event-1',
  flowId: 'flow-1',
  payload: { total: 12 },
  identity: { userId: 'u-1' },
  auth: { token: 'secret' },
  metadata: {},
  createdAt: '2026-01-01T00:00:00.000Z',
};
const now = Date.parse('2026-01-01T00:00:00Z');

interface TransactionOptions {
  transaction?: { id: string };
}

/** Records what the outbox hands the store; says an id is new the first time it sees it. */
class RecordingStore implements Partial<OutboxStore<TransactionOptions>> {
  readonly name = 'recording';
  readonly calls: { entries: OutboxEntry[]; options: TransactionOptions | undefined }[] = [];
  readonly seen = new Set<string>();
  failure: Error | undefined;
  entries = new Map<string, StoredEntry>();
  purgedBefore: Date[] = [];

  enqueue(entry: OutboxEntry, options?: TransactionOptions): Promise<boolean> {
    return this.enqueueBatch([entry], options).then(([stored]) => stored === true);
  }

  enqueueBatch(entries: readonly OutboxEntry[], options?: TransactionOptions): Promise<boolean[]> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    this.calls.push({ entries: [...entries], options });
    return Promise.resolve(
      entries.map((entry) => {
        const id = entry.id ?? entry.event.id;
        const fresh = !this.seen.has(id);
        this.seen.add(id);
        return fresh;
      }),
    );
  }

  getEntry(id: string): Promise<StoredEntry | undefined> {
    return Promise.resolve(this.entries.get(id));
  }

  purgeDelivered(olderThan: Date): Promise<number> {
    this.purgedBefore.push(olderThan);
    return Promise.resolve(1);
  }
}

function openOutbox(): { outbox: Outbox<TransactionOptions>; store: RecordingStore } {
  const store = new RecordingStore();
  return {
    store,
    outbox: new Outbox({ store: store as unknown as OutboxStore<TransactionOptions>, clock: () => now }),
  };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.unreachable('expected a rejection'),
    (error: unknown) => error,
  );
}

describe('Outbox', () => {
  it('says whether each enqueue stored the entry, keyed by the event id or its own id', async () => {
    const { outbox, store } = openOutbox();
    expect(await outbox.enqueue(event, { topic: 'orders', attributes: { tenant: 'acme' } })).toBe(true);
    expect(await outbox.enqueue(event)).toBe(false);
    expect(await outbox.enqueue(event, { id: 'delivery-1' })).toBe(true);
    expect(store.calls.map((call) => call.entries[0]?.id)).toEqual([undefined, undefined, 'delivery-1']);
    expect(store.calls[0]?.entries[0]).toEqual({
      event: { ...event, auth: {} },
      topic: 'orders',
      attributes: { tenant: 'acme' },
      enqueuedAt: new Date(now),
      availableAt: undefined,
    });
  });

  it('hands the store its own options (the caller’s transaction) and nothing else', async () => {
    const { outbox, store } = openOutbox();
    const transaction = { id: 'tx-1' };
    await outbox.enqueue(event, { topic: 'orders', delayMs: 5000, signal: new AbortController().signal, transaction });
    await outbox.enqueueMany([event], { topic: 'orders', transaction });
    await outbox.enqueueItems([{ event, id: 'x' }], { transaction });
    await outbox.storeUndelivered(event, new Error('down'), { id: 'y', transaction });
    expect(store.calls.map((call) => call.options)).toEqual([
      { transaction },
      { transaction },
      { transaction },
      { transaction },
    ]);
    expect(store.calls[0]?.entries[0]?.availableAt).toEqual(new Date(now + 5000));
  });

  it('stores items with their own ids, topics and schedules in one batch, with a flag each', async () => {
    const { outbox, store } = openOutbox();
    const at = new Date(now + 60_000);
    const flags = await outbox.enqueueItems([
      { event, id: 'sub-1:event-1', topic: 'hooks', attributes: { subscription: 'sub-1' } },
      { event, id: 'sub-2:event-1', topic: 'hooks', at },
      { event, id: 'sub-1:event-1' },
    ]);
    expect(flags).toEqual([true, true, false]);
    expect(store.calls).toHaveLength(1);
    expect(store.calls[0]?.entries.map((entry) => [entry.id, entry.topic, entry.availableAt])).toEqual([
      ['sub-1:event-1', 'hooks', undefined],
      ['sub-2:event-1', 'hooks', at],
      ['sub-1:event-1', undefined, undefined],
    ]);
    expect(await outbox.enqueueItems([])).toEqual([]);
    expect(await outbox.enqueueMany([])).toEqual([]);
    expect(store.calls).toHaveLength(1);
  });

  it('refuses a bad entry id', async () => {
    const { outbox, store } = openOutbox();
    for (const id of ['', 'x'.repeat(maxEntryIdLength + 1), 42 as unknown as string]) {
      await expect(outbox.enqueue(event, { id })).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
    }
    await expect(
      outbox.enqueueItems([
        { event, id: 'fine' },
        { event, id: '' },
      ]),
    ).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
      message: expect.stringContaining('event 1 of the batch') as string,
    });
    const many = outbox.enqueueMany([event], { id: 'one-for-all' } as never);
    await expect(many).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
    expect(await outbox.enqueue(event, { id: 'x'.repeat(maxEntryIdLength) })).toBe(true);
    expect(store.calls).toHaveLength(1);
  });

  it('refuses what is not a publishable event', async () => {
    const { outbox, store } = openOutbox();
    expect(await rejection(outbox.enqueue({ ...event, id: '' }))).toMatchObject({
      name: 'OutboxError',
      code: 'INVALID_EVENT',
    });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(await rejection(outbox.enqueue({ ...event, payload: cyclic }))).toMatchObject({
      code: 'INVALID_EVENT',
      cause: expect.any(TypeError),
    });
    expect(await rejection(outbox.enqueueMany([event, { ...event, name: '' }]))).toMatchObject({
      code: 'INVALID_EVENT',
      message: expect.stringContaining('event 1 of the batch') as string,
    });
    expect(store.calls).toEqual([]);
  });

  it('refuses an empty topic, attributes that are not strings and a bad schedule', async () => {
    const { outbox, store } = openOutbox();
    await expect(outbox.enqueue(event, { topic: '' })).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
    const attributes = { retries: 3 } as unknown as Record<string, string>;
    await expect(outbox.enqueue(event, { attributes })).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
    await expect(outbox.enqueue(event, { delayMs: -1 })).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
    await expect(outbox.enqueue(event, { at: new Date(Number.NaN) })).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
    });
    await expect(outbox.enqueue(event, { at: new Date(now), delayMs: 1 })).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
    });
    expect(store.calls).toEqual([]);
  });

  it('refuses a batch larger than maxBatchSize, storing nothing', async () => {
    const { outbox, store } = openOutbox();
    const events = Array.from({ length: maxBatchSize + 1 }, (_, index) => ({ ...event, id: `e-${index}` }));
    await expect(outbox.enqueueMany(events)).rejects.toMatchObject({ code: 'BATCH_TOO_LARGE' });
    await expect(outbox.enqueueItems(events.map((item) => ({ event: item })))).rejects.toMatchObject({
      code: 'BATCH_TOO_LARGE',
    });
    expect(await outbox.enqueueMany(events.slice(1))).toHaveLength(maxBatchSize);
    expect(store.calls).toHaveLength(1);
  });

  it('stores nothing when the signal aborted first', async () => {
    const { outbox, store } = openOutbox();
    const error = await rejection(outbox.enqueue(event, { signal: AbortSignal.abort() }));
    expect(isOutboxError(error) && error.code).toBe('ABORTED');
    await expect(outbox.enqueueItems([{ event }], { signal: AbortSignal.abort() })).rejects.toMatchObject({
      code: 'ABORTED',
    });
    expect(store.calls).toEqual([]);
  });

  it('rejects with ENQUEUE_FAILED and the store error as cause, retryable when the store says so', async () => {
    const { outbox, store } = openOutbox();
    store.failure = new OutboxError('STORE_UNAVAILABLE', 'connection reset');
    const error = await rejection(outbox.enqueue(event));
    expect(error).toMatchObject({ code: 'ENQUEUE_FAILED', retryable: true, cause: store.failure });
    store.failure = new Error('disk full');
    expect(await rejection(outbox.enqueueItems([{ event }]))).toMatchObject({
      code: 'ENQUEUE_FAILED',
      retryable: false,
    });
  });

  it('stores an event straight as undelivered with one failed attempt', async () => {
    const { outbox, store } = openOutbox();
    const failure = Object.assign(new Error('timed out'), { code: 'TIMEOUT' });
    expect(await outbox.storeUndelivered(event, failure, { topic: 'orders' })).toBe(true);
    expect(store.calls[0]?.entries[0]?.failure).toEqual({
      attempt: 1,
      at: new Date(now).toISOString(),
      durationMs: 0,
      outcome: 'failed',
      error: { message: 'timed out', name: 'Error', code: 'TIMEOUT' },
    });
  });

  it('shows an undelivered entry through getUndelivered, and nothing for one in another state', async () => {
    const { outbox, store } = openOutbox();
    const base = { topic: undefined, event, attributes: {}, attempts: 1, history: [], enqueuedAt: new Date(now) };
    store.entries.set('u', { ...base, id: 'u', state: 'undelivered', failedAt: new Date(now) });
    store.entries.set('p', { ...base, id: 'p', state: 'pending', claimed: false, nextAttemptAt: new Date(now) });
    store.entries.set('d', { ...base, id: 'd', state: 'delivered', deliveredAt: new Date(now) });
    expect(await outbox.getUndelivered('u')).toMatchObject({ id: 'u', state: 'undelivered' });
    expect(await outbox.getUndelivered('p')).toBeUndefined();
    expect(await outbox.getUndelivered('d')).toBeUndefined();
    expect(await outbox.getUndelivered('missing')).toBeUndefined();
    expect(await outbox.getEntry('p')).toMatchObject({ state: 'pending' });
  });

  it('purges delivered entries by retention period', async () => {
    const { outbox, store } = openOutbox();
    expect(await outbox.purgeDelivered({ retentionMs: 2 * 86_400_000 })).toBe(1);
    expect(store.purgedBefore).toEqual([new Date(now - 2 * 86_400_000)]);
    await expect(outbox.purgeDelivered({ retentionMs: -1 })).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
  });
});
