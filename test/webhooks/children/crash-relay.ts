// A dispatcher process that makes the attempts: killed with SIGKILL at random moments by the crash
// suite, or asked to stop with SIGTERM at the end.
import { WebhookDispatcher } from '@events-protocol/webhooks';
import { openChildCrashStore } from './crash-store.js';

const store = await openChildCrashStore();
const dispatcher = new WebhookDispatcher({
  store,
  targetPolicy: { allowPrivateNetworks: true },
  leaseMs: Number(process.env.WEBHOOKS_CRASH_LEASE_MS ?? 1500),
  pollIntervalMs: 50,
  timeouts: 1000,
  startWorker: true,
});
process.once('SIGTERM', () => {
  void dispatcher
    .close()
    .then(() => store.close())
    .then(() => process.exit(0));
});
process.stdout.write('relay ready\n');
