import type { Redis } from 'ioredis';

interface Waiter {
  deadline: number;
  done: () => void;
}

/**
 * Relays' wake-ups across processes: an enqueue pushes a token onto the outbox's wake list (in
 * the same script as the entry), and this listener pops it with `BLPOP` on a connection of its
 * own, opened on the first wait. One blocking call serves every concurrent waiter of the store; a
 * token wakes all of them. A waiter whose signal aborts leaves at once; a lost connection only
 * means waiting out the timeout. A token popped while nobody waited makes the next wait return
 * at once, so no enqueue is slept through.
 */
export class RedisWakeListener {
  readonly #open: () => Redis;
  readonly #key: string;
  readonly #waiters = new Set<Waiter>();
  #connection: Redis | undefined;
  #listening = false;
  #woken = false;
  #closed = false;

  /** `open` makes the listener's own connection; `key` is the wake list. */
  constructor(open: () => Redis, key: string) {
    this.#open = open;
    this.#key = key;
  }

  /** Resolves on a wake-up, after `timeoutMs`, or when `signal` aborts; never rejects. */
  wait(timeoutMs: number, signal: AbortSignal): Promise<void> {
    if (this.#closed || signal.aborted || timeoutMs <= 0) return Promise.resolve();
    if (this.#woken) {
      this.#woken = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.#waiters.delete(waiter);
        resolve();
      };
      const waiter: Waiter = { deadline: Date.now() + timeoutMs, done };
      const timer = setTimeout(done, timeoutMs);
      signal.addEventListener('abort', done, { once: true });
      this.#waiters.add(waiter);
      void this.#listen();
    });
  }

  /** Ends every wait and closes the listener's connection. */
  close(): void {
    this.#closed = true;
    for (const waiter of [...this.#waiters]) waiter.done();
    this.#connection?.disconnect();
    this.#connection = undefined;
  }

  async #listen(): Promise<void> {
    if (this.#listening) return;
    this.#listening = true;
    try {
      this.#connection ??= this.#open();
      while (this.#waiters.size > 0 && !this.#closed) {
        const latest = Math.max(...[...this.#waiters].map((waiter) => waiter.deadline));
        // BLPOP takes seconds (0 would block for ever); the waiters' own timers end their waits.
        const seconds = Math.max(0.01, (latest - Date.now()) / 1000);
        const token = await this.#connection.blpop(this.#key, seconds.toFixed(3));
        if (token === null) continue;
        if (this.#waiters.size === 0) this.#woken = true;
        for (const waiter of [...this.#waiters]) waiter.done();
      }
    } catch {
      // A lost connection: the waiters wait out their timeouts, and the next wait tries again.
    } finally {
      this.#listening = false;
    }
  }
}
