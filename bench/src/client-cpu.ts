/**
 * CPU time per call of the client process: our sendEvent against undici's own `request` posting
 * the same ~430-byte event and reading the answer as JSON, against the raw node:http server
 * pinned to another core. Throughput on a shared machine swings with its load; the CPU a call
 * costs its own process swings far less. Rounds of a fixed number of calls (50 in flight, as in
 * the client bench) alternate between the two, after a warm-up; each round's ratio is paired with
 * the round beside it, and medians are reported.
 *
 * Run it pinned to the core the server is not on, on each Node binary:
 * `taskset -c 0 node bench/dist/client-cpu.js [calls per round] [rounds]`.
 *
 * To compare two builds of the client in the same rounds, name the other build's entry in
 * `CLIENT_BEFORE` (e.g. `CLIENT_BEFORE=<before>/client/dist/index.js`, a copy of `dist/` of an
 * earlier commit, with its own `@events-protocol/core` beside it): each round then also runs that
 * client's sendEvent, and its ratio to undici's is reported beside ours.
 */
import { EventClient } from '@events-protocol/client';
import { pathToFileURL } from 'node:url';
import { Agent, request } from 'undici';
import { requestBody, requestEvent } from './fixture.js';
import { median } from './measure.js';
import { startServer } from './servers-bench.js';

type Call = () => Promise<unknown>;

/** CPU µs (user and system) per call of `calls` calls, `concurrency` at a time. */
async function cpuPerCall(call: Call, calls: number, concurrency: number): Promise<number> {
  let left = calls;
  async function worker(): Promise<void> {
    while (left-- > 0) await call();
  }
  const before = process.cpuUsage();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const spent = process.cpuUsage(before);
  return (spent.user + spent.system) / calls;
}

const calls = Number(process.argv[2] ?? 20_000);
const rounds = Number(process.argv[3] ?? 9);
const concurrency = 50;

const { child, port } = await startServer('raw-node.js', '1');
const url = `http://127.0.0.1:${port}/events`;
const agent = new Agent({ connections: concurrency, keepAliveTimeout: 60_000 });
const client = new EventClient({ url, connections: concurrency });
const headers = { 'content-type': 'application/json' };
const { name, version, payload, identity, auth, metadata } = requestEvent;
const undiciCall: Call = async () => {
  const response = await request(url, { method: 'POST', body: requestBody, headers, dispatcher: agent });
  return response.body.json();
};
function sendEventOf(sender: Pick<EventClient, 'sendEvent'>): Call {
  return async () => {
    const result = await sender.sendEvent({ name, version, payload, identity, auth, metadata });
    if (result.kind !== 'success') throw new Error(`sendEvent: ${result.kind}`);
  };
}
const sendEventCall = sendEventOf(client);
const beforeEntry = process.env['CLIENT_BEFORE'];
const beforeClient =
  beforeEntry === undefined
    ? undefined
    : new ((await import(pathToFileURL(beforeEntry).href)) as { EventClient: typeof EventClient }).EventClient({
        url,
        connections: concurrency,
      });
const contenders: Call[] = [undiciCall, sendEventCall];
if (beforeClient !== undefined) contenders.push(sendEventOf(beforeClient));

/** Ratio of undici's cost to a contender's, median over the paired rounds. */
function ratioTo(costs: readonly number[], undici: readonly number[]): number {
  return median(undici.map((value, round) => value / (costs[round] ?? Number.NaN)));
}

try {
  for (let warmup = 0; warmup < 2; warmup++) {
    for (const call of contenders) await cpuPerCall(call, calls, concurrency);
  }
  const costs: number[][] = contenders.map(() => []);
  for (let round = 0; round < rounds; round++) {
    // One fixed cycle (A, B, A, B…): a contender never runs twice in a row, which would cost it
    // less the second time, and each round pairs neighbours in time.
    for (const [index, call] of contenders.entries()) {
      costs[index]?.push(await cpuPerCall(call, calls, concurrency));
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
} finally {
  await client.close();
  await beforeClient?.close();
  await agent.close();
  child.kill('SIGKILL');
}
