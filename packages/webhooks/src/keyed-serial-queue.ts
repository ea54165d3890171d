/**
 * Runs tasks one after another per key, without making the caller wait for its turn: a
 * subscription's attempt reports stay in attempt order while the relay goes on delivering.
 * `enqueue` says how many tasks of the key are queued, so that a caller can wait when they pile
 * up (a store slower than the deliveries).
 */
export class KeyedSerialQueue {
  readonly #tails = new Map<string, Promise<void>>();
  readonly #queued = new Map<string, number>();

  /** Queues `task` after the key's earlier tasks. `done` resolves when it has run; it never rejects. */
  enqueue(key: string, task: () => Promise<void>): { done: Promise<void>; queued: number } {
    const queued = (this.#queued.get(key) ?? 0) + 1;
    this.#queued.set(key, queued);
    const done = (this.#tails.get(key) ?? Promise.resolve())
      .then(task)
      .catch(() => undefined)
      .then(() => {
        const left = (this.#queued.get(key) ?? 1) - 1;
        if (left > 0) {
          this.#queued.set(key, left);
          return;
        }
        this.#queued.delete(key);
        this.#tails.delete(key);
      });
    this.#tails.set(key, done);
    return { done, queued };
  }

  /** Resolves when every task queued so far has run. */
  async idle(): Promise<void> {
    await Promise.all(this.#tails.values());
  }
}
