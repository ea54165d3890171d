// A relay process whose sink kills its own process (SIGKILL, as the OOM killer would) whenever it
// is handed the event OUTBOX_POISON_ID, while OUTBOX_POISON_CRASHES is 'yes'. Every event handed
// to the sink is first appended to OUTBOX_HANDED_LOG, synchronously, so the count survives the
// kill. OUTBOX_SCHEDULE 'per-entry' gives the schedule as a function, as webhooks do (claims then
// carry no budget).
import { appendFileSync } from 'node:fs';
import { fixedSchedule } from '@events-protocol/core';
import type { Sink } from '@events-protocol/publish';
import { httpTestSink } from '../http-test-sink.js';
import { runChildRelay } from './run-child-relay.js';

const poisonId = process.env.OUTBOX_POISON_ID ?? '';
const crashes = process.env.OUTBOX_POISON_CRASHES === 'yes';
const handedLog = process.env.OUTBOX_HANDED_LOG ?? '';
const target = httpTestSink(process.env.OUTBOX_RECEIVER ?? '');
const sink: Sink = {
  ...target,
  publish(event, options) {
    appendFileSync(handedLog, `${event.id}\n`);
    if (crashes && event.id === poisonId) process.kill(process.pid, 'SIGKILL');
    return target.publish(event, options);
  },
};

const schedule = fixedSchedule({ delayMs: 20, maxAttempts: Number(process.env.OUTBOX_MAX_ATTEMPTS) });
runChildRelay({
  sink,
  schedule: process.env.OUTBOX_SCHEDULE === 'per-entry' ? () => Promise.resolve(schedule) : schedule,
  batchSize: 20,
  concurrency: 4,
  leaseMs: Number(process.env.OUTBOX_LEASE_MS),
  publishTimeoutMs: 200,
  pollIntervalMs: 20,
});
