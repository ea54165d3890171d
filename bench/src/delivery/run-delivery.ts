/**
 * The delivery benchmark: our relays and webhooks against a BullMQ worker and pg-boss, on one
 * redis-server and one PostgreSQL (fsync on) started here, to one local receiver, with the same
 * concurrency. Rounds of the scenarios are interleaved so that drift hits all alike.
 *
 * It runs from the TypeScript sources (tsx) because it reuses the test suite's server starters:
 *   node --import tsx --conditions=@events-protocol/source bench/src/delivery/run-delivery.ts [--quick] [--json=<file>]
 * `--only=bullmq,redis-relay` runs some scenarios. The webhook rows are `webhooks-redis` and
 * `webhooks-postgres` (a burst handed to `deliverEvents`) and `…-each` (one `deliverEvent` per
 * event); `webhooks-redis-before` and `webhooks-postgres-before`, run only when named, are
 * the system as it was before batching, for a before/after comparison in one run.
 * `npx --yes pnpm@10 bench` runs them all and puts the rows into RESULTS.md.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPostgresServer } from '../../../test/support/postgres-server.js';
import { startRedisServer } from '../../../test/support/redis-server.js';
import { median } from '../measure.js';
import type { ScenarioResult } from '../measure.js';
import { bullmqScenario, pgBossScenario } from './baselines.js';
import type { DeliveryScenario, DeliveryServices } from './delivery-system.js';
import { measureRound, type DeliveryLoad, type DeliveryRound } from './measure-delivery.js';
import {
  postgresRelayScenario,
  postgresWebhooksEachScenario,
  postgresWebhooksScenario,
  redisRelayScenario,
  redisWebhooksEachScenario,
  redisWebhooksScenario,
  sqliteRelayScenario,
  webhooksBeforeScenarios,
} from './our-systems.js';
import { startReceiver } from './receiver.js';

const quick = process.argv.includes('--quick');
const jsonFile = process.argv.find((argument) => argument.startsWith('--json='))?.slice('--json='.length);
// `--rounds=<n>` interleaves more rounds (medians are reported), for comparisons on a noisy machine.
const roundsArgument = process.argv.find((argument) => argument.startsWith('--rounds='))?.slice('--rounds='.length);
const rounds = roundsArgument === undefined ? (quick ? 1 : 2) : Math.max(1, Number.parseInt(roundsArgument, 10) || 1);
const load: DeliveryLoad = quick
  ? { events: 1000, chunk: 100, samples: 50 }
  : { events: 5000, chunk: 100, samples: 100 };

const only = process.argv
  .find((argument) => argument.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const scenarios: DeliveryScenario[] = [
  bullmqScenario,
  redisRelayScenario,
  pgBossScenario,
  postgresRelayScenario,
  sqliteRelayScenario,
  redisWebhooksScenario,
  redisWebhooksEachScenario,
  postgresWebhooksScenario,
  postgresWebhooksEachScenario,
  // Only when asked for by name: the system as it was before batching, for a before/after run.
  ...(only === undefined ? [] : webhooksBeforeScenarios),
].filter((scenario) => only === undefined || only.includes(scenario.key));

const redis = await startRedisServer();
const postgres = await startPostgresServer({ durable: true });
const directory = await mkdtemp(join(tmpdir(), 'events-delivery-bench-'));
const receiver = await startReceiver();
const services: DeliveryServices = { redisUrl: redis.url, postgresUrl: postgres.url, directory, concurrency: 10 };

/** The burst's cost per event, for comparisons on a busy machine (see `delivery-cost.ts`). */
function costText({ cost }: DeliveryRound): string {
  const postgresPart =
    cost.walSyncsPerThousand === 0 && cost.postgresCpuMsPerEvent === 0
      ? ''
      : `, PostgreSQL ${cost.postgresCpuMsPerEvent.toFixed(3)} ms CPU/event, ${cost.walSyncsPerThousand.toFixed(1)} WAL flushes per 1,000`;
  return `; burst CPU ${cost.processCpuMsPerEvent.toFixed(3)} ms/event here${postgresPart}`;
}

const measured = new Map<string, DeliveryRound[]>(scenarios.map((scenario) => [scenario.key, []]));
try {
  for (let round = 0; round < rounds; round++) {
    for (const scenario of scenarios) {
      const result = await measureRound(scenario, receiver, services, load, round);
      measured.get(scenario.key)?.push(result);
      process.stdout.write(
        `delivery ${scenario.label}: ${Math.round(result.throughput)} events/s, first attempt p50 ${result.p50Ms.toFixed(2)} ms, p99 ${result.p99Ms.toFixed(2)} ms, after commit p50 ${result.commitP50Ms.toFixed(2)} ms${costText(result)}\n`,
      );
    }
  }
} finally {
  await receiver.close();
  await Promise.allSettled([redis.stop(), postgres.stop(), rm(directory, { recursive: true, force: true })]);
}

const results: ScenarioResult[] = scenarios.map((scenario) => {
  const runs = measured.get(scenario.key) ?? [];
  return {
    key: scenario.key,
    label: scenario.label,
    group: 'delivery',
    throughput: median(runs.map((run) => run.throughput)),
    p50Ms: median(runs.map((run) => run.p50Ms)),
    p99Ms: median(runs.map((run) => run.p99Ms)),
    commitP50Ms: median(runs.map((run) => run.commitP50Ms)),
    errors: 0,
    rounds: runs.map((run) => Math.round(run.throughput)),
  };
});
if (jsonFile !== undefined) await writeFile(jsonFile, JSON.stringify(results));
