// A relay process: delivers the outbox to OUTBOX_RECEIVER until it is killed (or SIGTERM stops it).
import { fixedSchedule } from '@events-protocol/core';
import { OutboxRelay } from '@events-protocol/outbox';
import { httpTestSink } from '../http-test-sink.js';
import { openChildStore } from './child-store.js';

const store = openChildStore();
const relay = new OutboxRelay({
  store,
  sink: httpTestSink(process.env.OUTBOX_RECEIVER ?? ''),
  schedule: fixedSchedule({ delayMs: 20, maxAttempts: 100 }),
  batchSize: 50,
  concurrency: 10,
  leaseMs: 1000,
  publishTimeoutMs: 800,
  pollIntervalMs: 20,
});
relay.start();
process.once('SIGTERM', () => {
  void relay.stop().then(async () => {
    await store.close();
    process.exit(0);
  });
});
process.stdout.write('relay ready\n');
