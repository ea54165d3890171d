/**
 * CPU time per call of a client's process: our sendEvent against undici's own `request` posting
 * the same ~430-byte event and reading the answer as JSON, against the raw node:http server
 * pinned to another core, each client in a process of its own (clients/client-child.ts).
 * Throughput on a shared machine swings with its load; the CPU a call costs its own process
 * swings far less. Rounds of a fixed number of calls (50 in flight, as in
 * the client bench) alternate between the two, after a warm-up; each round's ratio is paired with
 * the round beside it, and medians are reported. Each client's collections are reported too (ms
 * per 1,000 calls, and the full collections of all rounds): that is how a client whose young
 * collections kept what should have died (Node 22 and 24, a `Set` in the egress's clock) showed.
 *
 * Run it pinned to the core the server is not on, on each Node binary:
 * `taskset -c 0 node bench/dist/client-cpu.js [calls per round] [rounds]`.
 *
 * To compare two builds of the client in the same rounds, name the other build's entry in
 * `CLIENT_BEFORE` (e.g. `CLIENT_BEFORE=<before>/client/dist/index.js`, a copy of `dist/` of an
 * earlier commit, with its own `@events-protocol/core` beside it): each round then also runs that
 * client's sendEvent, and its ratio to undici's is reported beside ours.
 */
import { pathToFileURL } from 'node:url';
import { ClientProcess, type CallCost } from './clients/client-process.js';
import { median } from './measure.js';
import { startServer } from './servers-bench.js';

const calls = Number(process.argv[2] ?? 20_000);
const rounds = Number(process.argv[3] ?? 9);
const concurrency = 50;

const { child, port } = await startServer('raw-node.js', '1');
const url = `http://127.0.0.1:${port}/events`;
const beforeEntry = process.env['CLIENT_BEFORE'];
const contenders: ClientProcess[] = [];

/** Ratio of undici's cost to a contender's, median over the paired rounds. */
function ratioTo(costs: readonly number[], undici: readonly number[]): number {
  return median(undici.map((value, round) => value / (costs[round] ?? Number.NaN)));
}

try {
  contenders.push(await ClientProcess.start('undici-request', url, concurrency));
  contenders.push(await ClientProcess.start('send-event', url, concurrency));
  if (beforeEntry !== undefined) {
    contenders.push(await ClientProcess.start('send-event', url, concurrency, pathToFileURL(beforeEntry).href));
  }
  for (let warmup = 0; warmup < 2; warmup++) {
    for (const contender of contenders) await contender.costOfCalls(calls);
  }
  const costs: number[][] = contenders.map(() => []);
  const collections: CallCost[][] = contenders.map(() => []);
  for (let round = 0; round < rounds; round++) {
    // One fixed cycle (A, B, A, B…): a contender never runs twice in a row, which would cost it
    // less the second time, and each round pairs neighbours in time.
    for (const [index, contender] of contenders.entries()) {
      const cost = await contender.costOfCalls(calls);
      costs[index]?.push(cost.microsPerCall);
      collections[index]?.push(cost);
    }
  }
  const [undici = [], ours = [], before] = costs;
  const beforeText =
    before === undefined
      ? ''
      : `; before: sendEvent ${median(before).toFixed(1)} µs/call, undici/sendEvent ${ratioTo(before, undici).toFixed(3)}`;
  process.stdout.write(
    `${process.version}: undici request ${median(undici).toFixed(1)} µs/call, sendEvent ${median(ours).toFixed(1)} µs/call, ` +
      `undici/sendEvent ${ratioTo(ours, undici).toFixed(3)}${beforeText} (median of ${rounds} paired rounds of ${calls} calls)\n`,
  );
  // What the collector took: a client whose young collections keep what should have died runs
  // full collections as well, and its CPU per call moves from round to round with them.
  for (const [index, contender] of contenders.entries()) {
    const spent = collections[index] ?? [];
    const ms = median(spent.map((cost) => cost.collectionMsPerThousandCalls));
    const full = spent.reduce((sum, cost) => sum + cost.fullCollections, 0);
    process.stdout.write(
      `  ${contender.key}${index === 2 ? ' (before)' : ''}: collections ${ms.toFixed(1)} ms per 1,000 calls (median), ` +
        `${full} full collections in ${rounds} rounds\n`,
    );
  }
} finally {
  await Promise.all(contenders.map((contender) => contender.close()));
  child.kill('SIGKILL');
}
