// Delivers WEBHOOKS_CRASH_COUNT events, ids `<run id>-<index>`, in batches of 10 with pauses
// (WEBHOOKS_CRASH_PAUSE_MS), so that relays are killed while deliveries are still being added. Makes no attempts itself.
import { setTimeout as sleep } from 'node:timers/promises';
import { createPublishedEvent } from '@events-protocol/publish';
import { WebhookDispatcher } from '@events-protocol/webhooks';
import { openChildCrashStore } from './crash-store.js';

const count = Number(process.env.WEBHOOKS_CRASH_COUNT);
const runId = process.env.WEBHOOKS_CRASH_RUN_ID ?? 'crash';
const pauseMs = Number(process.env.WEBHOOKS_CRASH_PAUSE_MS ?? 1000);
const store = await openChildCrashStore();
const dispatcher = new WebhookDispatcher({ store, targetPolicy: { allowPrivateNetworks: true }, startWorker: false });
for (let index = 0; index < count; index++) {
  await dispatcher.deliverEvent(
    createPublishedEvent({ name: 'order:placed', id: `${runId}-${index}`, payload: { index, cents: 100 + index } }),
  );
  if (index % 10 === 9) await sleep(pauseMs);
}
await dispatcher.close();
await store.close();
process.stdout.write(`produced ${count}\n`);
