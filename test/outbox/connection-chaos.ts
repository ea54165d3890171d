import { setTimeout as sleep } from 'node:timers/promises';
import { fixedSchedule } from '@events-protocol/core';
import { OutboxRelay, type Outbox, type OutboxLogger, type OutboxStore } from '@events-protocol/outbox';
import type { PublishedEvent } from '@events-protocol/publish';
import { orderEvent } from './events.js';
import { httpTestSink } from './http-test-sink.js';
import { recordProcessFailures } from './process-failures.js';
import { seededRandom, startReceiver } from './receiver.js';

/** One run of {@link runConnectionChaos}. */
export interface ConnectionChaos {
  /** Events to publish. */
  count: number;
  /** The producer's outbox, on a store (and connections) of its own. */
  producer: Outbox;
  /**
   * Stores one batch the way the application does; `enqueueMany` on the producer by default. A
   * rejection means the caller still holds the batch: the producer tries it again.
   */
  enqueueBatch?: (events: PublishedEvent[]) => Promise<unknown>;
  /** The relay's store, with connections of its own, as a relay process would have. */
  relayStore: OutboxStore;
  /** Drops every connection of the producer and the relay once (from an admin connection). */
  breakConnections: () => Promise<void>;
  /** The pause between two breaks, in ms: drawn at random between these bounds. */
  breakEveryMs: [min: number, max: number];
  seed: number;
  /** How long to wait for every event to arrive after the last enqueue, in ms. */
  deliveryDeadlineMs: number;
}

/** What a chaos run observed. */
export interface ChaosReport {
  breaks: number;
  /** Event ids never received. */
  lost: string[];
  /** Deliveries received in all, duplicates included. */
  deliveries: number;
  /** Every rejection the producer saw (and retried). */
  enqueueErrors: unknown[];
  /** Every error the relay logged at `error` (store failures it kept running through). */
  relayErrors: unknown[];
  /** Errors of the admin connection that breaks the others (a break that came too soon). */
  breakErrors: unknown[];
  /** Uncaught exceptions and unhandled rejections of this process during the run. */
  processFailures: unknown[];
  /** Whether the relay still ran at the end. */
  relayRunning: boolean;
}

/**
 * The flow every connection-loss test shares: a producer enqueues `count` events in batches of
 * 1–100 (retrying a batch the store rejected), a relay delivers them to a real HTTP receiver,
 * and meanwhile every connection to the store is broken again and again.
 */
export async function runConnectionChaos(options: ConnectionChaos): Promise<ChaosReport> {
  using failures = recordProcessFailures();
  await using receiver = await startReceiver();
  const random = seededRandom(options.seed);
  const relayErrors: unknown[] = [];
  const logger: OutboxLogger = {
    debug: () => undefined,
    warn: () => undefined,
    error: (object) => relayErrors.push((object as { err?: unknown }).err ?? object),
  };
  const relay = new OutboxRelay({
    store: options.relayStore,
    sink: httpTestSink(receiver.url),
    logger,
    batchSize: 50,
    concurrency: 10,
    pollIntervalMs: 20,
    // A claim lost with its connection comes back after the lease: short here, 30 s by default.
    leaseMs: 2000,
    publishTimeoutMs: 1500,
    schedule: fixedSchedule({ delayMs: 50, maxAttempts: 1000 }),
  });
  relay.start();

  const run: { breaking: boolean } = { breaking: true };
  const breakingStopped = (): boolean => !run.breaking;
  let breaks = 0;
  const breakErrors: unknown[] = [];
  const breaker = (async () => {
    while (run.breaking) {
      const [min, max] = options.breakEveryMs;
      await sleep(min + random() * (max - min));
      if (breakingStopped()) break;
      breaks++;
      await options.breakConnections().catch((error: unknown) => breakErrors.push(error));
    }
  })();

  const enqueueErrors: unknown[] = [];
  const enqueueBatch = options.enqueueBatch ?? ((events) => options.producer.enqueueMany(events));
  const ids: string[] = [];
  try {
    for (let next = 0; next < options.count;) {
      const size = Math.min(options.count - next, 1 + Math.floor(random() * 100));
      const events = Array.from({ length: size }, (_, index) => orderEvent(next + index, `chaos-${options.seed}`));
      for (let tries = 1; ; tries++) {
        try {
          await (size === 1 ? options.producer.enqueue(events[0]!) : enqueueBatch(events));
          break;
        } catch (error) {
          enqueueErrors.push(error);
          if (tries === 1000) break; // a batch that never goes in is reported as lost
          await sleep(20);
        }
      }
      ids.push(...events.map((event) => event.id));
      next += size;
    }
    for (let waited = 0; waited < options.deliveryDeadlineMs; waited += 50) {
      if (ids.every((id) => receiver.received.has(id))) break;
      await sleep(50);
    }
  } finally {
    run.breaking = false;
    await breaker;
  }
  const relayRunning = relay.running;
  await relay.stop();
  return {
    breaks,
    lost: ids.filter((id) => !receiver.received.has(id)),
    deliveries: receiver.deliveries(),
    enqueueErrors,
    relayErrors,
    breakErrors,
    processFailures: [...failures.recorded],
    relayRunning,
  };
}

/** One line of figures for the test log. */
export function describeChaos(name: string, count: number, report: ChaosReport): string {
  return (
    `${name}: ${count} events, ${report.breaks} connection breaks, ${report.lost.length} lost, ` +
    `${report.deliveries} deliveries, ${report.enqueueErrors.length} enqueue rejections retried, ` +
    `${report.relayErrors.length} store errors the relay ran through\n`
  );
}
