/**
 * Counts the events a plugin is processing, so that closing the app can wait for them: their
 * handlers may still need what the app closes next (a database pool), even when the caller has
 * already gone.
 */
export class InFlightEvents {
  #count = 0;
  readonly #waiters = new Set<() => void>();

  /** How many events are being processed now. */
  get count(): number {
    return this.#count;
  }

  /** Notes an event whose processing starts. */
  begin(): void {
    this.#count += 1;
  }

  /** Notes an event that has its answer. */
  end(): void {
    this.#count -= 1;
    if (this.#count > 0 || this.#waiters.size === 0) return;
    for (const wake of [...this.#waiters]) wake();
  }

  /**
   * Resolves `true` once no event is in flight (at once when none is), or `false` when `graceMs`
   * passed first.
   */
  drained(graceMs: number): Promise<boolean> {
    if (this.#count === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const finish = (drained: boolean): void => {
        clearTimeout(timer);
        this.#waiters.delete(wake);
        resolve(drained);
      };
      const wake = (): void => finish(true);
      const timer = setTimeout(() => finish(false), graceMs);
      this.#waiters.add(wake);
    });
  }
}
