/**
 * Runs every benchmark and writes bench/RESULTS.md and bench/results.svg.
 *
 *   npx --yes pnpm@10 bench           # full run (a few minutes)
 *   npx --yes pnpm@10 bench --quick   # one short round each, to check the harness
 *   npx --yes pnpm@10 bench --only=server,memory   # some groups: server, client, in-process, memory, delivery, types
 *   npx --yes pnpm@10 bench --quick --out=/tmp/bench.md   # write the report there (and the chart beside it)
 *
 * A `--quick` run never writes bench/RESULTS.md unless told to with `--out`: without it, the report
 * goes to bench/.tmp/RESULTS.quick.md.
 *
 * This process (and the load it generates) is pinned to CPU 0, each server to CPU 1. Rounds of
 * the scenarios of a group are interleaved, so drift of a shared machine hits all of them alike.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { runClientScenarios } from './client-bench.js';
import { runInProcess } from './in-process-bench.js';
import { runMemoryScenarios, type MemoryResult } from './memory-bench.js';
import type { ScenarioResult } from './measure.js';
import { resultsMarkdown, resultsSvg } from './report.js';
import { measureTypeCheckCost, type TypeCheckCost } from './type-check-cost.js';
import { runServerScenarios, serverScenarios, type LoadOptions } from './servers-bench.js';

const quick = process.argv.includes('--quick');
const only = process.argv
  .find((argument) => argument.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const options: LoadOptions = quick
  ? { connections: 50, warmupSeconds: 1, roundSeconds: 2, rounds: 1, serverCpu: '1' }
  : { connections: 50, warmupSeconds: 3, roundSeconds: 5, rounds: 5, serverCpu: '1' };

const outArgument = process.argv.find((argument) => argument.startsWith('--out='))?.slice('--out='.length);
const wanted = (group: string) => only === undefined || only.includes(group);
const results: ScenarioResult[] = [];

if (wanted('server')) {
  const serverResults = await runServerScenarios(serverScenarios, options, (scenario, rps) => {
    process.stdout.write(`server  ${scenario.label}: ${Math.round(rps)} req/s\n`);
  });
  results.push(...serverResults);
}
if (wanted('client')) {
  for (const result of await runClientScenarios(options)) {
    results.push(result);
    process.stdout.write(
      `client  ${result.label}: ${Math.round(result.throughput)} calls/s, p99 ${result.p99Ms?.toFixed(2) ?? '–'} ms\n`,
    );
  }
}
if (wanted('in-process')) {
  for (const result of await runInProcess(options.rounds, quick ? 1 : 3)) {
    results.push(result);
    process.stdout.write(`inproc  ${result.label}: ${Math.round(result.throughput)} events/s\n`);
  }
}
const memory: MemoryResult[] = [];
if (wanted('memory')) {
  memory.push(...(await runMemoryScenarios(quick ? 500 : 1000, options.serverCpu)));
  for (const row of memory) {
    process.stdout.write(
      `memory  ${row.label}: ${row.rssMbPerThousandConnections.toFixed(2)} MB RSS per 1,000 idle connections, ${Math.round(row.heapBytesPerInFlightEvent)} heap bytes per event in flight\n`,
    );
  }
}

if (wanted('delivery')) {
  // The delivery bench runs from the sources (it reuses the tests' server starters), unpinned:
  // redis-server and PostgreSQL are processes of their own.
  const scratch = await mkdtemp(join(tmpdir(), 'events-bench-'));
  const file = join(scratch, 'delivery.json');
  const workspace = fileURLToPath(new URL('../..', import.meta.url));
  execFileSync(
    'taskset',
    [
      '-c',
      '0,1',
      process.execPath,
      '--import',
      'tsx',
      '--conditions=@events-protocol/source',
      'bench/src/delivery/run-delivery.ts',
      `--json=${file}`,
      ...(quick ? ['--quick'] : []),
    ],
    { cwd: workspace, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  results.push(...(JSON.parse(await readFile(file, 'utf8')) as ScenarioResult[]));
  await rm(scratch, { recursive: true, force: true });
}

const setup = [
  `Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}; load generator (autocannon / the clients) pinned to CPU 0, servers to CPU 1 (taskset).`,
  `${options.rounds} round(s) of ${options.roundSeconds} s after a ${options.warmupSeconds} s warm-up per scenario, rounds of a group interleaved; medians reported. Ratios compare scenarios of the same run.`,
  `Run: \`npx --yes pnpm@10 bench\` (written ${new Date().toISOString().slice(0, 10)}${quick ? ', --quick' : ''}).`,
].join('\n');
const directory = fileURLToPath(new URL('../', import.meta.url));
const outFile = resolve(outArgument ?? join(directory, quick ? '.tmp/RESULTS.quick.md' : 'RESULTS.md'));
const chartFile = join(
  dirname(outFile),
  outArgument === undefined && !quick ? 'results.svg' : `${basename(outFile, '.md')}.svg`,
);
let typeCheck: TypeCheckCost | undefined;
if (wanted('types')) {
  typeCheck = await measureTypeCheckCost(quick ? 300 : 3000);
  process.stdout.write(
    `types   ${typeCheck.contracts} contracts: ${typeCheck.totalSeconds.toFixed(2)} s, ${typeCheck.memoryMb} MB, ${typeCheck.types} types\n`,
  );
}
await mkdir(dirname(outFile), { recursive: true });
await writeFile(outFile, resultsMarkdown(results, setup, memory, typeCheck));
await writeFile(chartFile, resultsSvg(results));
process.stdout.write(`wrote ${outFile} and ${chartFile}\n`);
