import { quantile } from '../measure.js';
import { startCostProbe, type DeliveryCost } from './delivery-cost.js';
import { benchEvent, type DeliveryScenario, type DeliveryServices } from './delivery-system.js';
import type { Receiver } from './receiver.js';

/** What one scenario measured in one round. */
export interface DeliveryRound {
  /** Enqueue → delivered, events per second, for a burst enqueued while the workers run. */
  throughput: number;
  /** Enqueue (committed) → first attempt at the receiver, for single events one at a time. */
  p50Ms: number;
  p99Ms: number;
  /** From the enqueue's commit (its promise resolved) to the first attempt: the median. */
  commitP50Ms: number;
  /** What the burst cost per event: CPU here and in PostgreSQL, WAL flushes. */
  cost: DeliveryCost;
}

/** How much each round measures. */
export interface DeliveryLoad {
  /** Events of the throughput burst. */
  events: number;
  /** Events enqueued per call during the burst. */
  chunk: number;
  /** Single events timed for latency. */
  samples: number;
}

/**
 * The burst: `load.events` events enqueued in chunks while the workers run, timed from the first
 * enqueue to the last distinct arrival (duplicates do not count).
 */
async function burst(
  receiver: Receiver,
  enqueue: (count: number) => Promise<void>,
  load: DeliveryLoad,
  postgresUrl: string | undefined,
): Promise<{ throughput: number; cost: DeliveryCost }> {
  receiver.reset();
  const probe = await startCostProbe(postgresUrl);
  const started = performance.now();
  const arrived = receiver.distinctReached(load.events);
  for (let sent = 0; sent < load.events; sent += load.chunk) await enqueue(Math.min(load.chunk, load.events - sent));
  await arrived;
  const throughput = load.events / ((performance.now() - started) / 1000);
  return { throughput, cost: await probe(load.events) };
}

/** One round of a scenario: a fresh system, its latency samples, then its burst. */
export async function measureRound(
  scenario: DeliveryScenario,
  receiver: Receiver,
  services: DeliveryServices,
  load: DeliveryLoad,
  round: number,
): Promise<DeliveryRound> {
  const system = await scenario.open(receiver, services, `bench_${scenario.key.replace(/\W/g, '_')}_${round}`);
  try {
    await system.start();
    receiver.reset();
    // Warm the connections and code paths before timing.
    await system.enqueue(Array.from({ length: 50 }, benchEvent));
    await receiver.distinctReached(50);
    const latencies = new Float64Array(load.samples);
    const afterCommit = new Float64Array(load.samples);
    for (let index = 0; index < load.samples; index++) {
      const event = benchEvent();
      const arrival = receiver.arrival(event.id);
      const started = performance.now();
      await system.enqueue([event]);
      const committed = performance.now();
      const arrived = await arrival;
      latencies[index] = arrived - started;
      // A worker may start before the producer hears its commit acknowledged.
      afterCommit[index] = Math.max(0, arrived - committed);
    }
    const { throughput, cost } = await burst(
      receiver,
      (count) => system.enqueue(Array.from({ length: count }, benchEvent)),
      load,
      scenario.store === 'postgres' ? services.postgresUrl : undefined,
    );
    return {
      throughput,
      cost,
      p50Ms: quantile(latencies, load.samples, 0.5),
      p99Ms: quantile(latencies, load.samples, 0.99),
      commitP50Ms: quantile(afterCommit, load.samples, 0.5),
    };
  } finally {
    await system.close();
  }
}
