// A producer process for ordered delivery: enqueues OUTBOX_COUNT events, event `index` under the
// ordering key `key-<index % OUTBOX_KEYS>`, then reports and exits.
import { Outbox } from '@events-protocol/outbox';
import { orderEvent } from '../events.js';
import { openChildStore } from './child-store.js';

const store = openChildStore();
const outbox = new Outbox({ store });
const count = Number(process.env.OUTBOX_COUNT);
const keys = Number(process.env.OUTBOX_KEYS);
const runId = process.env.OUTBOX_RUN_ID ?? 'run';
for (let index = 0; index < count; index++) {
  await outbox.enqueue(orderEvent(index, runId), { topic: 'orders', orderingKey: `key-${index % keys}` });
}
await store.close();
process.stdout.write(`enqueued ${count}\n`);
