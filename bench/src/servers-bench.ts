/**
 * Server scenarios: each server runs in its own process pinned to one core, autocannon drives it
 * from this process pinned to the other, 50 connections, warm-up then rounds, medians reported.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { requestBody, requestPayload } from './fixture.js';
import { median, type ScenarioResult } from './measure.js';

export interface ServerScenario {
  key: string;
  label: string;
  script: string;
  path: string;
  body: string;
}

export const serverScenarios: ServerScenario[] = [
  {
    key: 'raw-node',
    label: 'raw node:http, by hand (baseline)',
    script: 'raw-node.js',
    path: '/events',
    body: requestBody,
  },
  {
    key: 'events-node',
    label: 'events-protocol node:http adapter',
    script: 'events-node.js',
    path: '/events',
    body: requestBody,
  },
  {
    key: 'bare-express',
    label: 'bare Express 5 route, by hand (baseline)',
    script: 'bare-express.js',
    path: '/events',
    body: requestBody,
  },
  {
    key: 'events-express',
    label: 'events-protocol Express adapter',
    script: 'events-express.js',
    path: '/events',
    body: requestBody,
  },
  {
    key: 'trpc',
    label: 'tRPC 11 standalone, zod procedure',
    script: 'trpc.js',
    path: '/price',
    body: JSON.stringify(requestPayload),
  },
];

export interface LoadOptions {
  connections: number;
  warmupSeconds: number;
  roundSeconds: number;
  rounds: number;
  serverCpu: string;
}

/** Starts a bench server script pinned to a CPU and resolves once it listens. */
export async function startServer(
  script: string,
  cpu: string,
  nodeOptions: readonly string[] = [],
): Promise<{ child: ChildProcess; port: number }> {
  const path = fileURLToPath(new URL(`./servers/${script}`, import.meta.url));
  const child = spawn('taskset', ['-c', cpu, process.execPath, ...nodeOptions, path, '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${script} exited with ${String(code)}`)));
    child.stdout.on('data', (chunk: Buffer) => {
      const match = /listening (\d+)/.exec(chunk.toString());
      if (match?.[1] !== undefined) resolve(Number(match[1]));
    });
  });
  return { child, port };
}

async function peakRssMb(pid: number | undefined): Promise<number> {
  if (pid === undefined) return 0;
  // taskset execs node, so the pid is node's own.
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 102.4) / 10;
}

async function load(url: string, body: string, connections: number, seconds: number) {
  return autocannon({
    url,
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json' },
    connections,
    duration: seconds,
  });
}

/**
 * Runs the server scenarios with their rounds interleaved (round 1 of each, then round 2 of each…),
 * so that drift of a shared machine hits every scenario alike; returns the medians.
 */
export async function runServerScenarios(
  scenarios: readonly ServerScenario[],
  options: LoadOptions,
  onRound: (scenario: ServerScenario, rps: number) => void = () => undefined,
): Promise<ScenarioResult[]> {
  const servers = [];
  for (const scenario of scenarios)
    servers.push({ scenario, ...(await startServer(scenario.script, options.serverCpu)) });
  try {
    const rounds = new Map(
      scenarios.map((scenario) => [scenario.key, [] as { rps: number; p50: number; p99: number; errors: number }[]]),
    );
    for (const { scenario, port } of servers) {
      await load(`http://127.0.0.1:${port}${scenario.path}`, scenario.body, options.connections, options.warmupSeconds);
    }
    for (let round = 0; round < options.rounds; round++) {
      for (const { scenario, port } of servers) {
        const result = await load(
          `http://127.0.0.1:${port}${scenario.path}`,
          scenario.body,
          options.connections,
          options.roundSeconds,
        );
        const measured = {
          rps: result.requests.average,
          p50: result.latency.p50,
          p99: result.latency.p99,
          errors: result.errors + result.timeouts + result.non2xx,
        };
        rounds.get(scenario.key)?.push(measured);
        onRound(scenario, measured.rps);
      }
    }
    const results: ScenarioResult[] = [];
    for (const { scenario, child } of servers) {
      const measured = rounds.get(scenario.key) ?? [];
      results.push({
        key: scenario.key,
        label: scenario.label,
        group: 'server',
        throughput: median(measured.map((round) => round.rps)),
        p50Ms: median(measured.map((round) => round.p50)),
        p99Ms: median(measured.map((round) => round.p99)),
        peakRssMb: await peakRssMb(child.pid),
        errors: measured.reduce((sum, round) => sum + round.errors, 0),
        rounds: measured.map((round) => Math.round(round.rps)),
      });
    }
    return results;
  } finally {
    for (const { child } of servers) child.kill('SIGKILL');
  }
}
