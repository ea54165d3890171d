/** The longest a relay waits between claims while its store keeps failing, in ms. */
export const maxRelayBackoffMs = 10_000;

/**
 * How long a relay pauses before its next claim: the poll interval while the store answers; after
 * `failures` consecutive store failures, the interval doubled per failure up to
 * {@link maxRelayBackoffMs} (never below the interval), with its upper half jittered so relays
 * that lost the same database do not all come back at the same instant.
 */
export function relayPauseMs(pollIntervalMs: number, failures: number, random: () => number = Math.random): number {
  if (failures <= 0) return pollIntervalMs;
  const ceiling = Math.max(pollIntervalMs, Math.min(maxRelayBackoffMs, pollIntervalMs * 2 ** Math.min(failures, 30)));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
