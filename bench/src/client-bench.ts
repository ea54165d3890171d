/**
 * Client scenarios against the raw node:http server (pinned to the other core): our sendEvent,
 * undici's own `request` with the same body and pool size (the baseline), and Node's global fetch.
 * 50 calls in flight for the round's duration; throughput and p99 of each call.
 */
import { EventClient } from '@events-protocol/client';
import { Agent, request } from 'undici';
import { requestBody, requestEvent } from './fixture.js';
import { median, quantile, type ScenarioResult } from './measure.js';
import { startServer, type LoadOptions } from './servers-bench.js';

type Call = () => Promise<unknown>;

async function drive(
  call: Call,
  concurrency: number,
  seconds: number,
): Promise<{ rate: number; p50: number; p99: number; errors: number }> {
  const latencies = new Float64Array(5_000_000);
  let count = 0;
  let errors = 0;
  const end = performance.now() + seconds * 1000;
  const started = performance.now();
  async function worker(): Promise<void> {
    while (performance.now() < end) {
      const before = performance.now();
      try {
        await call();
      } catch {
        errors++;
      }
      if (count < latencies.length) latencies[count] = performance.now() - before;
      count++;
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = (performance.now() - started) / 1000;
  const recorded = Math.min(count, latencies.length);
  return {
    rate: count / elapsed,
    p50: quantile(latencies, recorded, 0.5),
    p99: quantile(latencies, recorded, 0.99),
    errors,
  };
}

/** Runs the three client scenarios, interleaving their rounds so drift hits all alike. */
export async function runClientScenarios(options: LoadOptions): Promise<ScenarioResult[]> {
  const { child, port } = await startServer('raw-node.js', options.serverCpu);
  const url = `http://127.0.0.1:${port}/events`;
  const agent = new Agent({ connections: options.connections, keepAliveTimeout: 60_000 });
  const client = new EventClient({ url, connections: options.connections });
  const headers = { 'content-type': 'application/json' };
  const { name, version, payload, identity, auth, metadata } = requestEvent;
  const scenarios: { key: string; label: string; call: Call }[] = [
    {
      key: 'undici-request',
      label: 'undici request, same body and pool (baseline)',
      call: async () => {
        const response = await request(url, { method: 'POST', body: requestBody, headers, dispatcher: agent });
        return response.body.json();
      },
    },
    {
      key: 'send-event',
      label: 'events-protocol EventClient.sendEvent',
      call: async () => {
        const result = await client.sendEvent({ name, version, payload, identity, auth, metadata });
        if (result.kind !== 'success') throw new Error(`sendEvent: ${result.kind}`);
      },
    },
    {
      key: 'fetch',
      label: 'Node global fetch',
      call: async () => {
        const response = await fetch(url, { method: 'POST', body: requestBody, headers });
        return response.json();
      },
    },
  ];
  const rounds = new Map(scenarios.map((scenario) => [scenario.key, [] as Awaited<ReturnType<typeof drive>>[]]));
  try {
    for (const scenario of scenarios) await drive(scenario.call, options.connections, options.warmupSeconds);
    for (let round = 0; round < options.rounds; round++) {
      for (const scenario of scenarios)
        rounds.get(scenario.key)?.push(await drive(scenario.call, options.connections, options.roundSeconds));
    }
  } finally {
    await client.close();
    await agent.close();
    child.kill('SIGKILL');
  }
  return scenarios.map((scenario) => {
    const measured = rounds.get(scenario.key) ?? [];
    return {
      key: scenario.key,
      label: scenario.label,
      group: 'client',
      throughput: median(measured.map((round) => round.rate)),
      p50Ms: median(measured.map((round) => round.p50)),
      p99Ms: median(measured.map((round) => round.p99)),
      errors: measured.reduce((sum, round) => sum + round.errors, 0),
      rounds: measured.map((round) => Math.round(round.rate)),
    };
  });
}
