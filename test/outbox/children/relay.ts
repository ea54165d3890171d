// A relay process: delivers the outbox to OUTBOX_RECEIVER until it is killed (or SIGTERM stops it).
import { fixedSchedule } from '@events-protocol/core';
import { httpTestSink } from '../http-test-sink.js';
import { runChildRelay } from './run-child-relay.js';

runChildRelay({
  sink: httpTestSink(process.env.OUTBOX_RECEIVER ?? ''),
  schedule: fixedSchedule({ delayMs: 20, maxAttempts: 100 }),
  batchSize: 50,
  concurrency: 10,
  leaseMs: 1000,
  publishTimeoutMs: 800,
  pollIntervalMs: 20,
});
