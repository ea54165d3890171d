// A dispatcher process that dies hard (SIGKILL, no cleanup) as soon as an attempt's request has
// been sent: every attempt it makes is interrupted mid-flight.
import { subscribe } from 'node:diagnostics_channel';
import { WebhookDispatcher } from '@events-protocol/webhooks';
import { SqliteWebhookStore } from '@events-protocol/webhooks/sqlite';

const filename = process.env.WEBHOOKS_STORE;
if (filename === undefined) throw new Error('WEBHOOKS_STORE is not set');

subscribe('undici:request:bodySent', () => {
  process.stdout.write('attempt sent; dying\n');
  process.kill(process.pid, 'SIGKILL');
});

const store = new SqliteWebhookStore({ filename });
await store.setup();
new WebhookDispatcher({
  store,
  targetPolicy: { allow: ['127.0.0.1/32'] },
  leaseMs: Number(process.env.WEBHOOKS_LEASE_MS ?? 400),
  pollIntervalMs: 50,
  timeouts: 5000,
});
process.stdout.write('dispatcher ready\n');
process.once('SIGTERM', () => process.exit(0));
