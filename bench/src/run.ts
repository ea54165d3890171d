/**
 * Runs every benchmark on Node 20, 22 and 24 in turn and writes one section per version into
 * bench/RESULTS.md (and its chart, results-node<version>.svg):
 *
 *   npx --yes pnpm@10 bench                 # every group on every version (about 36 minutes)
 *   npx --yes pnpm@10 bench --node=22,24    # those versions only: their sections are replaced, the others kept
 *   npx --yes pnpm@10 bench --quick         # one short round each, to check the harness
 *   npx --yes pnpm@10 bench --only=server,streams   # some groups: server, client, in-process, memory, delivery, streams, console, types
 *   npx --yes pnpm@10 bench --quick --out=/tmp/bench.md   # the report there (charts beside it)
 *
 * A `--quick` run never writes bench/RESULTS.md unless told to with `--out`: without it, the report
 * goes to bench/.tmp/RESULTS.quick.md.
 *
 * Each version's run is a child process of this script on that version's binary (node-versions.ts),
 * pinned to CPU 0 with the load it generates; each server goes to CPU 1. Rounds of the scenarios
 * of a group are interleaved, so drift of a shared machine hits all of them alike. A group that
 * fails is named in its section and the others still run.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchGroups, parseBenchArguments } from './bench-arguments.js';
import { runClientScenarios } from './client-bench.js';
import { onEveryCpu } from './every-cpu.js';
import { runInProcess } from './in-process-bench.js';
import type { GroupFailure, GroupRun, ScenarioResult, VersionRun } from './measure.js';
import { runMemoryScenarios, type MemoryResult } from './memory-bench.js';
import { runOnNodeVersions } from './node-versions-run.js';
import { runServerScenarios, serverScenarios, type LoadOptions } from './servers-bench.js';
import { measureTypeCheckCosts, typeCheckCostLine, type TypeCheckCost } from './type-check-cost.js';

const cli = parseBenchArguments(process.argv.slice(2));
const quick = cli.quick;
// Full runs: 5 interleaved rounds of 3 s after a 2 s warm-up per scenario. Five rounds keep the
// median robust to a round hit by drift; 3 s is still 5,000 to 60,000 requests per round.
const options: LoadOptions = quick
  ? { connections: 50, warmupSeconds: 1, roundSeconds: 2, rounds: 1, serverCpu: '1' }
  : { connections: 50, warmupSeconds: 2, roundSeconds: 3, rounds: 5, serverCpu: '1' };
const wanted = (group: string) =>
  (cli.only === undefined || cli.only.includes(group)) && !(group === 'types' && cli.skipTypes);
const workspace = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Runs a bench script from the TypeScript sources (tsx), on every core (its servers are processes of
 * their own), as the delivery and streams groups do to reuse the tests' server starters; returns
 * what it wrote to its `--json` file.
 */
async function runFromSources(script: string): Promise<unknown> {
  const scratch = await mkdtemp(join(tmpdir(), 'events-bench-'));
  const file = join(scratch, 'group.json');
  try {
    execFileSync(
      'taskset',
      onEveryCpu(process.execPath, [
        ...['--import', 'tsx', '--conditions=@events-protocol/source'],
        ...[script, `--json=${file}`, ...(quick ? ['--quick'] : [])],
      ]),
      { cwd: workspace, stdio: ['ignore', 'inherit', 'inherit'] },
    );
    return JSON.parse(await readFile(file, 'utf8')) as unknown;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** Runs the wanted groups in this process, each timed; a failing group is recorded, not fatal. */
async function runGroups(): Promise<VersionRun> {
  const startedAt = new Date().toISOString();
  const results: ScenarioResult[] = [];
  const memory: MemoryResult[] = [];
  const failures: GroupFailure[] = [];
  let typeCheck: TypeCheckCost[] | undefined;
  let streamsSetup: string | undefined;
  const group = async (name: string, run: () => Promise<void>) => {
    if (!wanted(name)) return;
    const started = performance.now();
    try {
      await run();
    } catch (error) {
      failures.push({ group: name, message: error instanceof Error ? error.message : String(error) });
      process.stderr.write(
        `${name} group failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
    }
    process.stdout.write(`-- ${name}: ${((performance.now() - started) / 60_000).toFixed(1)} min\n`);
  };

  await group('server', async () => {
    const serverResults = await runServerScenarios(serverScenarios, options, (scenario, rps) => {
      process.stdout.write(`server  ${scenario.label}: ${Math.round(rps)} req/s\n`);
    });
    results.push(...serverResults);
  });
  await group('client', async () => {
    for (const result of await runClientScenarios(options)) {
      results.push(result);
      process.stdout.write(
        `client  ${result.label}: ${Math.round(result.throughput)} calls/s, p99 ${result.p99Ms?.toFixed(2) ?? '–'} ms\n`,
      );
    }
  });
  await group('in-process', async () => {
    for (const result of await runInProcess(options.rounds, quick ? 1 : 3)) {
      results.push(result);
      process.stdout.write(`inproc  ${result.label}: ${Math.round(result.throughput)} events/s\n`);
    }
  });
  await group('memory', async () => {
    memory.push(...(await runMemoryScenarios(quick ? 500 : 1000, options.serverCpu)));
    for (const row of memory) {
      process.stdout.write(
        `memory  ${row.label}: ${row.rssMbPerThousandConnections.toFixed(2)} MB RSS per 1,000 idle connections, ${Math.round(row.heapBytesPerInFlightEvent)} heap bytes per event in flight\n`,
      );
    }
  });
  await group('delivery', async () => {
    results.push(...((await runFromSources('bench/src/delivery/run-delivery.ts')) as ScenarioResult[]));
  });
  await group('streams', async () => {
    const streams = (await runFromSources('bench/src/streams-bench.ts')) as GroupRun;
    results.push(...streams.results);
    streamsSetup = streams.setup;
  });
  await group('console', async () => {
    results.push(...((await runFromSources('bench/src/console-bench.ts')) as ScenarioResult[]));
  });
  await group('types', async () => {
    typeCheck = await measureTypeCheckCosts(quick ? 300 : 3000, quick ? 1 : 3);
    for (const cost of typeCheck) process.stdout.write(`types   ${typeCheckCostLine(cost)}\n`);
  });

  return {
    nodeVersion: process.version,
    machine: `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}`,
    startedAt,
    finishedAt: new Date().toISOString(),
    settings: [
      'Load generator (autocannon / the clients) pinned to CPU 0, servers to CPU 1 (taskset); the delivery and streams groups on every core beside their redis-server, PostgreSQL and nats-server, and tsc on every core.',
      `${options.rounds} round(s) of ${options.roundSeconds} s after a ${options.warmupSeconds} s warm-up per scenario, rounds of a group interleaved; medians reported. Ratios compare scenarios of the same section.`,
    ].join('\n'),
    results,
    memory,
    typeCheck,
    streamsSetup,
    failures,
  };
}

if (cli.childJson === undefined) {
  const groups = benchGroups.filter((name) => wanted(name));
  const failed = await runOnNodeVersions(cli, fileURLToPath(import.meta.url), groups, options);
  if (failed.length > 0) {
    process.stderr.write(`bench: the run on Node ${failed.join(', ')} failed; their sections were kept as they were\n`);
    process.exitCode = 1;
  }
} else {
  await writeFile(cli.childJson, JSON.stringify(await runGroups()));
}
