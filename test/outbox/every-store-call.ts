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
    receipt,
    event: entry.event,
    topic: undefined,
    attributes: {},
    attempt: 1,
    errors: [],
    enqueuedAt: new Date(),
  };
  const error = { attempt: 1, at: new Date().toISOString(), message: 'nope' };
  return {
    enqueue: () => store.enqueue(entry),
    enqueueBatch: () => store.enqueueBatch([entry]),
    claim: () => store.claim({ limit: 1, leaseMs: 1000, now: new Date(), owner: 'relay' }),
    markDelivered: () => store.markDelivered(claimed, new Date()),
    markFailed: () => store.markFailed(claimed, error, new Date()),
    moveToUndelivered: () => store.moveToUndelivered(claimed, error, new Date()),
    cancel: () => store.cancel('x'),
    listUndelivered: () => store.listUndelivered(),
    getUndelivered: () => store.getUndelivered('x'),
    redeliver: () => store.redeliver({}, new Date()),
    deleteUndelivered: () => store.deleteUndelivered({ ids: ['x'] }),
    purgeDelivered: () => store.purgeDelivered(new Date()),
    pendingCount: () => store.pendingCount(),
    setup: () => store.setup(),
  };
}
