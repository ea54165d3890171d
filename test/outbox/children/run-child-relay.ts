import { OutboxRelay, type OutboxRelayOptions } from '@events-protocol/outbox';
import { openChildStore } from './child-store.js';

/**
 * What every relay child does around its own sink and settings: opens the child's store, starts
 * a relay on it, stops it and closes the store on SIGTERM (exiting 0), and tells the parent
 * `relay ready` on stdout.
 */
export function runChildRelay(options: Omit<OutboxRelayOptions, 'store'>): void {
  const store = openChildStore();
  const relay = new OutboxRelay({ ...options, store });
  relay.start();
  process.once('SIGTERM', () => {
    void relay.stop().then(async () => {
      await store.close();
      process.exit(0);
    });
  });
  process.stdout.write('relay ready\n');
}
