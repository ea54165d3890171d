import { createFlowStorage } from '#flow-storage';
import type { FlowStorage } from './flow-storage.js';
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
// the context a server from another copy entered. `#flow-storage` is an AsyncLocalStorage where
// `node:async_hooks` exists (Node, Bun, Deno) and a synchronous stack in browsers.
const storageKey = Symbol.for('@events-protocol/flow-context');
const globalSlots = globalThis as unknown as Record<symbol, FlowStorage<EventContext> | undefined>;
const storage = (globalSlots[storageKey] ??= createFlowStorage<EventContext>());

const readersKey = Symbol.for('@events-protocol/flow-context-readers');
const flags = globalThis as unknown as Record<symbol, boolean | undefined>;

/**
 * Declares that something in this process reads the event context (an `EventClient`, a
 * publisher). Until something does, processors do not enter the context: on Node 20 the first
 * `AsyncLocalStorage.run` turns on async hooks for every promise and socket write of the process,
 * a cost not worth paying when nothing reads the context.
 */
export function useEventContext(): void {
  flags[readersKey] = true;
}

/** Whether anything in this process reads the event context (see {@link useEventContext}). */
export function isEventContextInUse(): boolean {
  return flags[readersKey] === true;
}

/**
 * Runs `callback` with `context` as the current event context, across every `await` inside it on
 * Node, Bun and Deno. In browsers, only during the callback's synchronous part (before its first
 * `await`).
 */
export function runInEventContext<TResult>(context: EventContext, callback: () => TResult): TResult {
  return storage.run(context, callback);
}

/** The context of the event being processed, or `undefined` outside a handler. */
export function currentEventContext(): EventContext | undefined {
  return storage.getStore();
}
