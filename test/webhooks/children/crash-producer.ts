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
// Half the batches go through deliverEvents, half event by event through deliverEvent: both paths
// must lose nothing when the relays die.
for (let start = 0; start < count; start += 10) {
  const events = Array.from({ length: Math.min(10, count - start) }, (_, offset) => {
    const index = start + offset;
    return createPublishedEvent({
      name: 'order:placed',
      id: `${runId}-${index}`,
      payload: { index, cents: 100 + index },
    });
  });
  if ((start / 10) % 2 === 0) await dispatcher.deliverEvents(events);
  else for (const event of events) await dispatcher.deliverEvent(event);
  await sleep(pauseMs);
}
await dispatcher.close();
await store.close();
process.stdout.write(`produced ${count}\n`);
