import { AsyncLocalStorage } from 'node:async_hooks';
import type { RequestEvent } from './request-event.js';

/**
 * What is known while a handler processes an event: the event itself and its deadline. Outgoing
 * calls made in this context carry the event's `flowId` and stay within what is left of its time.
 */
export interface EventContext {
  readonly event: RequestEvent;
  /** When the event's answer is due (ms since the epoch, `Date.now()` clock); `undefined` when unbounded. */
  readonly deadline?: number | undefined;
}

// One store per process, shared by every copy of this package, so a client from one copy sees
// the context a server from another copy entered.
const storageKey = Symbol.for('@events-protocol/flow-context');
const globalSlots = globalThis as unknown as Record<symbol, AsyncLocalStorage<EventContext> | undefined>;
const storage = (globalSlots[storageKey] ??= new AsyncLocalStorage<EventContext>());

/** Runs `callback` with `context` as the current event context, across every `await` inside it. */
export function runInEventContext<TResult>(context: EventContext, callback: () => TResult): TResult {
  return storage.run(context, callback);
}

/** The context of the event being processed, or `undefined` outside a handler. */
export function currentEventContext(): EventContext | undefined {
  return storage.getStore();
}
