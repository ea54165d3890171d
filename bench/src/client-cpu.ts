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
 */
import { EventClient } from '@events-protocol/client';
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
const sendEventCall: Call = async () => {
  const result = await client.sendEvent({ name, version, payload, identity, auth, metadata });
  if (result.kind !== 'success') throw new Error(`sendEvent: ${result.kind}`);
};

try {
  for (let warmup = 0; warmup < 2; warmup++) {
    await cpuPerCall(undiciCall, calls, concurrency);
    await cpuPerCall(sendEventCall, calls, concurrency);
  }
  const undici: number[] = [];
  const ours: number[] = [];
  for (let round = 0; round < rounds; round++) {
    // Alternate which goes first, so that a drift in load falls on both alike.
    if (round % 2 === 0) undici.push(await cpuPerCall(undiciCall, calls, concurrency));
    ours.push(await cpuPerCall(sendEventCall, calls, concurrency));
    if (round % 2 === 1) undici.push(await cpuPerCall(undiciCall, calls, concurrency));
  }
  const ratio = median(undici.map((value, round) => value / (ours[round] ?? Number.NaN)));
  process.stdout.write(
    `${process.version}: undici request ${median(undici).toFixed(1)} µs/call, sendEvent ${median(ours).toFixed(1)} µs/call, ` +
      `undici/sendEvent ${ratio.toFixed(3)} (median of ${rounds} paired rounds of ${calls} calls)\n`,
  );
} finally {
  await client.close();
  await agent.close();
  child.kill('SIGKILL');
}
