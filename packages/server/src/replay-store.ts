import type { ResponseEvent } from '@events-protocol/core';

/** What a {@link ReplayStore} knows of an event id when a processor asks to run it. */
export type ReplayClaim =
  | { readonly status: 'claimed' }
  | { readonly status: 'running' }
  | { readonly status: 'answered'; readonly answer: ResponseEvent };

/**
 * Where idempotent replay keeps what it has answered, keyed by event name, version and id. The
 * first processor to `claim` a key runs the handler; the others see `running` until it
 * `complete`s (then `answered`), or until the lease lapses (then one of them may claim it).
 */
export interface ReplayStore {
  /** Claims `key` for `leaseMs`, or tells that it is running or answered. */
  claim(key: string, leaseMs: number): Promise<ReplayClaim>;
  /** Stores the answer under `key` for `retentionMs`. */
  complete(key: string, answer: ResponseEvent, retentionMs: number): Promise<void>;
  /** Forgets a claim whose outcome should not be replayed (a timeout, an overload): the next attempt runs again. */
  release(key: string): Promise<void>;
  /** Optional: resolves when `key` may have changed (answered or released), so waiters need not poll. */
  changed?(key: string, timeoutMs: number): Promise<void>;
}
