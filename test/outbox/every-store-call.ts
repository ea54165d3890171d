import type { OutboxStore } from '@events-protocol/outbox';
import { orderEvent } from './events.js';

/**
 * One call of each method of the store contract, by name, with arguments good enough to reach the
 * store: for tests that every call fails the same way when the store cannot be reached.
 * `receipt` is a lease receipt in the store's own format.
 */
export function everyStoreCall(store: OutboxStore, receipt: string): Record<string, () => Promise<unknown>> {
  const entry = { event: orderEvent(1, 'down'), topic: undefined, attributes: {}, enqueuedAt: new Date() };
  const claimed = {
    id: entry.event.id,
    receipt,
    event: entry.event,
    topic: undefined,
    attributes: {},
    attempt: 1,
    history: [],
    enqueuedAt: new Date(),
  };
  const attempt = {
    attempt: 1,
    at: new Date().toISOString(),
    durationMs: 1,
    outcome: 'failed',
    error: { message: 'nope' },
  } as const;
  return {
    enqueue: () => store.enqueue(entry),
    enqueueBatch: () => store.enqueueBatch([entry]),
    claim: () => store.claim({ limit: 1, leaseMs: 1000, now: new Date(), owner: 'relay' }),
    settle: () => store.settle([{ claimed, attempt, next: 'undelivered' }], new Date()),
    cancel: () => store.cancel('x'),
    listPending: () => store.listPending(),
    listUndelivered: () => store.listUndelivered(),
    getEntry: () => store.getEntry('x'),
    redeliver: () => store.redeliver({}, new Date()),
    deleteUndelivered: () => store.deleteUndelivered({ ids: ['x'] }),
    purgeDelivered: () => store.purgeDelivered(new Date()),
    pendingCount: () => store.pendingCount(),
    stats: () => store.stats(new Date()),
    setup: () => store.setup(),
  };
}
