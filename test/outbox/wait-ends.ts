import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Far longer than any wake-up takes, and far shorter than a test's timeout: a wait given this
 * timeout that ends within {@link generousMs} did not end by its timeout.
 */
export const longWaitMs = 60_000;

/** How long a wake-up may take on a loaded machine before a test calls it missed. */
export const generousMs = 10_000;

/** Whether `wait` ends within `ms` (the timer is cancelled once it does). */
export async function endsWithin(wait: Promise<void>, ms: number): Promise<boolean> {
  const limit = new AbortController();
  try {
    return await Promise.race([wait.then(() => true), sleep(ms, false, { signal: limit.signal })]);
  } finally {
    limit.abort();
  }
}
