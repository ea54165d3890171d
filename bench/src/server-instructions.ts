/**
 * Instructions per request of the server process, counted by valgrind's callgrind: our node:http
 * adapter (`servers/events-node.js`) against raw node:http answering the same ~430-byte event by
 * hand (`servers/raw-node.js`), 50 connections. Throughput and CPU time move with the load of a
 * shared machine by more than the changes worth measuring; an instruction count moves less, but
 * it does move: which of V8's tiers runs a function in the counted window, and how many
 * collections fall in it, differ between runs of one build (one run on Node 20 counted 193k
 * main-thread instructions per request where others counted 120–130k, most of the difference
 * in inline-cache and baseline-code builtins). So every server is counted in `--rounds` rounds,
 * one after another in a fixed order, and medians are reported, with the ratios raw/this of
 * each round. The compiler's and collector's threads, which finish their work when they get to
 * it, vary far more than the main thread, so read the main thread's. It leaves out what cache
 * misses and mispredicted branches cost, so it shows where work can go, and the throughput
 * rounds of `npx --yes pnpm@10 bench` stay the measure of the targets.
 *
 * `node bench/dist/server-instructions.js [--warmup=15000] [--requests=5000] [--rounds=3] [--top=30] [server script …]`
 *
 * Each server runs under `valgrind --tool=callgrind` (Debian's `valgrind` package), some 50 times
 * slower than alone, so the JIT takes longer to settle: after 3,000 requests Node 22 and 24 still
 * ran baseline code, hence 15,000 by default. Run it with nothing else on the machine: other work
 * changes when the compiler threads finish and when the collector runs, and so the counts of the
 * window. After `--warmup` requests its counters are zeroed, `--requests` are sent, and the
 * counts of that window are dumped, per thread: the main thread runs the JavaScript, the others
 * compile and collect garbage. Further server scripts given as paths (another build's
 * `events-node.js`) are counted the same way, in the same rounds. With `--top`, the functions
 * whose own instructions per request differ most between raw node:http and ours are listed,
 * from each server's median round, compiled JavaScript named from the map node writes with
 * `--perf-basic-prof`.
 *
 * With `--simulate-caches`, callgrind also simulates the caches and the branch predictor
 * (`--cache-sim=yes --branch-sim=yes`, some three times slower again), and the main thread's
 * misses and mispredictions per request are printed beside the instructions: `I1mr` (instruction
 * fetches missing the first-level cache), `D1mr` and `D1mw` (data reads and writes missing it),
 * `ILmr`, `DLmr`, `DLmw` (missing the last level too), `Bcm` and `Bim` (conditional and indirect
 * branches mispredicted). Those are what an instruction count leaves out. `--by=<event>` sorts
 * and counts the `--top` list by one of them instead of by instructions.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readCallgrindDump, selfCostByFunction, type CallgrindDump } from './callgrind-dump.js';
import { postEvents } from './event-load.js';
import { median } from './measure.js';
import { wholeNumberOption } from './script-options.js';
import { checkAnswer, serverScenarios, startServer, type ServerScenario } from './servers-bench.js';

/** What one server executed per request in the counted window. */
interface CountedServer {
  readonly label: string;
  readonly dump: CallgrindDump;
  readonly requests: number;
  /** Each function's own count of the `--by` event per request, main thread; with `--top` only. */
  readonly functions: Map<string, number> | undefined;
}

function scenario(key: string): ServerScenario {
  const found = serverScenarios.find((candidate) => candidate.key === key);
  if (found === undefined) throw new Error(`no server scenario ${key}`);
  return found;
}

const rawScenario = scenario('raw-node');
const ourScenario = scenario('events-node');

const warmup = wholeNumberOption('warmup', 15_000);
const requests = wholeNumberOption('requests', 5000);
const rounds = Math.max(1, wholeNumberOption('rounds', 3));
const top = wholeNumberOption('top', 0);
const simulateCaches = process.argv.includes('--simulate-caches');
const by = process.argv.find((argument) => argument.startsWith('--by='))?.slice('--by='.length) ?? 'Ir';
const simulatedEvents = ['I1mr', 'D1mr', 'D1mw', 'ILmr', 'DLmr', 'DLmw', 'Bcm', 'Bim'];
if (by !== 'Ir' && !(simulateCaches && simulatedEvents.includes(by))) {
  throw new Error(`--by takes Ir, or with --simulate-caches one of ${simulatedEvents.join(', ')}; got ${by}`);
}
const otherScripts = process.argv
  .slice(2)
  .filter((argument) => !argument.startsWith('--'))
  .map((path) => resolve(path));

if (spawnSync('valgrind', ['--version']).status !== 0) {
  throw new Error('server-instructions needs valgrind on the PATH (Debian: apt-get install valgrind)');
}

async function send(port: number, amount: number): Promise<number> {
  // Under valgrind a request can take a hundred times as long as alone.
  const result = await postEvents(port, { connections: 50, requests: amount, timeoutSeconds: 60 });
  const failed = result.errors + result.timeouts + result.non2xx;
  if (failed > 0) throw new Error(`${failed} of ${amount} requests failed`);
  return result.requests.total;
}

async function count(label: string, script: string): Promise<CountedServer> {
  const dir = await mkdtemp(join(tmpdir(), 'server-instructions-'));
  // callgrind_control reaches the process through vgdb's pipes: in `dir`, removed with it, rather
  // than in /tmp, where a process killed at the end would leave them.
  const vgdbPrefix = `--vgdb-prefix=${join(dir, 'vgdb-pipe')}`;
  const launcher = ['valgrind', '-q', '--tool=callgrind', vgdbPrefix, '--separate-threads=yes', '--dump-instr=no'];
  if (simulateCaches) launcher.push('--cache-sim=yes', '--branch-sim=yes');
  launcher.push(`--callgrind-out-file=${join(dir, 'out.%p')}`);
  // --perf-basic-prof also writes V8's log, to the working directory unless told where.
  const profiling = ['--perf-basic-prof', '--no-logfile-per-isolate', `--logfile=${join(dir, 'v8.log')}`];
  const { child, port } = await startServer(script, '1', top > 0 ? profiling : [], 'node', launcher);
  const pid = child.pid;
  // V8 writes its perf map to /tmp whatever TMPDIR says.
  const perfMap = `/tmp/perf-${String(pid)}.map`;
  try {
    if (pid === undefined) throw new Error(`${label} has no process id`);
    await checkAnswer(ourScenario, port);
    await send(port, warmup);
    execFileSync('callgrind_control', [vgdbPrefix, '--zero', String(pid)], { stdio: 'ignore' });
    const sent = await send(port, requests);
    execFileSync('callgrind_control', [vgdbPrefix, '--dump', String(pid)], { stdio: 'ignore' });
    const dump = await readCallgrindDump(dir, pid, 1);
    const main = dump.files[0];
    const functions =
      top > 0 && main !== undefined ? await selfCostByFunction(main, { event: by, perfMap }) : undefined;
    if (functions !== undefined) for (const [name, cost] of functions) functions.set(name, cost / sent);
    return { label, dump, requests: sent, functions };
  } finally {
    child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
    await rm(perfMap, { force: true });
  }
}

// The load generator stays off the server's CPU.
spawnSync('taskset', ['-a', '-pc', '0', String(process.pid)], { stdio: 'ignore' });

const servers = [
  { label: 'raw node:http', script: rawScenario.script },
  { label: 'ours', script: ourScenario.script },
  ...otherScripts.map((path) => ({ label: path, script: path })),
];
/** `byServer[s][r]`: server `s` (raw first) in round `r`; each round counts every server once, in one fixed order. */
const byServer: CountedServer[][] = servers.map(() => []);
for (let round = 0; round < rounds; round++) {
  for (const [index, server] of servers.entries()) byServer[index]?.push(await count(server.label, server.script));
}

const [raw, ...others] = byServer;
if (raw === undefined) throw new Error('no raw server counted');
const perRequest = (server: CountedServer, event: string, main = true): number =>
  ((main ? server.dump.mainThread : server.dump.allThreads)[event] ?? 0) / server.requests;
/** A server's median over its rounds of what `figure` reads from each. */
const medianOf = (server: readonly CountedServer[], figure: (counted: CountedServer) => number): number =>
  median(server.map(figure));
/** Each round's ratio raw/this of what `figure` reads: the round's raw beside the same round's server. */
const pairedRatios = (server: readonly CountedServer[], figure: (counted: CountedServer) => number): number[] =>
  server.map((counted, round) => figure(raw[round] ?? counted) / figure(counted));
const labelOf = (server: readonly CountedServer[]): string => server[0]?.label ?? '';

const mainInstructions = (server: CountedServer): number => perRequest(server, 'Ir');
const allInstructions = (server: CountedServer): number => perRequest(server, 'Ir', false);
const lines = [
  `${process.version}, ${requests} requests after ${warmup} of warm-up, ${rounds} round(s), instructions per request` +
    (rounds > 1 ? ' (medians of the rounds; raw/this is the median of the per-round ratios):' : ':'),
];
for (const server of byServer) {
  let line = `  ${labelOf(server)}: ${Math.round(medianOf(server, allInstructions))}`;
  line += ` (main thread ${Math.round(medianOf(server, mainInstructions))})`;
  if (server !== raw) {
    const mainRatios = pairedRatios(server, mainInstructions);
    line += `, raw/this ${median(pairedRatios(server, allInstructions)).toFixed(3)}`;
    line += ` (main thread ${median(mainRatios).toFixed(3)}`;
    line += rounds > 1 ? `; rounds ${mainRatios.map((ratio) => ratio.toFixed(3)).join(' ')})` : ')';
  }
  lines.push(line);
}
if (rounds > 1) {
  lines.push('  main thread of each round:');
  for (const server of byServer) {
    lines.push(`    ${labelOf(server)}: ${server.map((round) => Math.round(mainInstructions(round))).join(' ')}`);
  }
}
if (simulateCaches) {
  lines.push('  main thread, misses and mispredictions per request (raw/this for each server after raw):');
  lines.push(`    ${'event'.padEnd(6)}${byServer.map((server) => labelOf(server).slice(0, 24).padStart(26)).join('')}`);
  for (const event of simulatedEvents) {
    const figure = (server: CountedServer): number => perRequest(server, event);
    const cells = byServer.map((server) => {
      const value = medianOf(server, figure).toFixed(0);
      return server === raw ? value : `${value} (${median(pairedRatios(server, figure)).toFixed(3)})`;
    });
    lines.push(`    ${event.padEnd(6)}${cells.map((cell) => cell.padStart(26)).join('')}`);
  }
}

/** The round whose main-thread count is the median of the server's (the lower of the two middle ones). */
function medianRound(server: readonly CountedServer[]): CountedServer | undefined {
  const sorted = [...server].sort((a, b) => mainInstructions(a) - mainInstructions(b));
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

const rawFunctions = medianRound(raw)?.functions;
const first = others[0] === undefined ? undefined : medianRound(others[0]);
const ourFunctions = first?.functions;
if (top > 0 && rawFunctions !== undefined && first !== undefined && ourFunctions !== undefined) {
  const names = [...new Set([...rawFunctions.keys(), ...ourFunctions.keys()])];
  const difference = (name: string): number => (ourFunctions.get(name) ?? 0) - (rawFunctions.get(name) ?? 0);
  names.sort((a, b) => Math.abs(difference(b)) - Math.abs(difference(a)));
  const counting = by === 'Ir' ? 'instructions' : by;
  const ofRound = rounds > 1 ? ", each server's median round" : '';
  lines.push(`  main thread, own ${counting} per request${ofRound}, by the difference ${first.label} - raw:`);
  lines.push('    difference       raw      this  function');
  for (const name of names.slice(0, top)) {
    const cells = [difference(name), rawFunctions.get(name) ?? 0, ourFunctions.get(name) ?? 0];
    lines.push(`    ${cells.map((cell) => Math.round(cell).toString().padStart(9)).join(' ')}  ${name.slice(0, 110)}`);
  }
}
process.stdout.write(`${lines.join('\n')}\n`);
