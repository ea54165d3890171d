import type { ResponseEvent } from '@events-protocol/core';
import type { ReplayClaim, ReplayStore } from './replay-store.js';

type Entry = { state: 'running'; expiresAt: number } | { state: 'answered'; answer: ResponseEvent; expiresAt: number };

/**
 * An in-memory {@link ReplayStore} for one process: bounded, least recently used entries go
 * first. For several instances behind a load balancer, use {@link RedisReplayStore}.
 */
export class MemoryReplayStore implements ReplayStore {
  readonly #entries = new Map<string, Entry>();
  readonly #waiters = new Map<string, Set<() => void>>();
  readonly #maxEntries: number;
  readonly #now: () => number;

  /** @param options.maxEntries the most answers kept (10,000 by default). */
  constructor(options: { maxEntries?: number; now?: () => number } = {}) {
    this.#maxEntries = options.maxEntries ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  /** How many keys are held. */
  get size(): number {
    return this.#entries.size;
  }

  claim(key: string, leaseMs: number): Promise<ReplayClaim> {
    const now = this.#now();
    const entry = this.#entries.get(key);
    if (entry !== undefined && entry.expiresAt > now) {
      // Touch: most recently used entries are kept longest.
      this.#entries.delete(key);
      this.#entries.set(key, entry);
      return Promise.resolve(
        entry.state === 'running' ? { status: 'running' } : { status: 'answered', answer: entry.answer },
      );
    }
    this.#set(key, { state: 'running', expiresAt: now + leaseMs });
    return Promise.resolve({ status: 'claimed' });
  }

  complete(key: string, answer: ResponseEvent, retentionMs: number): Promise<void> {
    this.#set(key, { state: 'answered', answer, expiresAt: this.#now() + retentionMs });
    this.#notify(key);
    return Promise.resolve();
  }

  release(key: string): Promise<void> {
    this.#entries.delete(key);
    this.#notify(key);
    return Promise.resolve();
  }

  changed(key: string, timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      let waiters = this.#waiters.get(key);
      if (waiters === undefined) this.#waiters.set(key, (waiters = new Set()));
      const done = (): void => {
        clearTimeout(timer);
        waiters.delete(done);
        if (waiters.size === 0) this.#waiters.delete(key);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      waiters.add(done);
    });
  }

  #set(key: string, entry: Entry): void {
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    while (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
  }

  #notify(key: string): void {
    for (const waiter of [...(this.#waiters.get(key) ?? [])]) waiter();
  }
}
