/**
 * Server scenarios: each server runs in its own process pinned to one core (node, or the bun
 * binary for the Bun scenarios), autocannon drives it from this process pinned to the other, 50
 * connections, warm-up then rounds, medians reported. Before any load, each server answers the
 * bench request once and must give status 200 and exactly the expected body, so a broken baseline
 * stops the run instead of being measured answering errors.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { price, requestBody, requestEvent, requestPayload } from './fixture.js';
import { median, type ScenarioResult } from './measure.js';

/** The process a server script runs in. */
export type ServerRuntime = 'node' | 'bun';

/** One server of the bench: its script, what to post where, and the one answer it must give. */
export interface ServerScenario {
  key: string;
  label: string;
  script: string;
  runtime: ServerRuntime;
  path: string;
  body: string;
  expectedBody: string;
}

/** The response event every events-protocol server (ours and the baselines) answers. */
export const expectedResponseBody = JSON.stringify({
  name: `${requestEvent.name}:response`,
  version: requestEvent.version,
  id: requestEvent.id,
  flowId: requestEvent.flowId,
  payload: price(requestPayload),
  identity: {},
  auth: {},
  metadata: {},
});

function eventScenario(key: string, label: string, script: string, runtime: ServerRuntime = 'node'): ServerScenario {
  return { key, label, script, runtime, path: '/events', body: requestBody, expectedBody: expectedResponseBody };
}

export const serverScenarios: ServerScenario[] = [
  eventScenario('raw-node', 'raw node:http, by hand (baseline)', 'raw-node.js'),
  eventScenario('events-node', 'events-protocol node:http adapter', 'events-node.js'),
  eventScenario('fastify-zod', 'Fastify 5 route, zod type provider (baseline)', 'fastify-zod.js'),
  eventScenario('events-fastify', 'events-protocol Fastify plugin', 'events-fastify.js'),
  eventScenario('hono-node', 'Hono on @hono/node-server, zod validator (baseline)', 'hono-zod.js'),
  eventScenario('events-fetch-node', 'events-protocol fetch handler on @hono/node-server', 'events-fetch-node.js'),
  eventScenario('bare-express', 'bare Express 5 route, by hand (baseline)', 'bare-express.js'),
  eventScenario('events-express', 'events-protocol Express adapter', 'events-express.js'),
  {
    key: 'trpc',
    label: 'tRPC 11 standalone, zod procedure',
    script: 'trpc.js',
    runtime: 'node',
    path: '/price',
    body: JSON.stringify(requestPayload),
    expectedBody: JSON.stringify({ result: { data: price(requestPayload) } }),
  },
  eventScenario('hono-bun', 'Hono on Bun, zod validator (baseline)', 'hono-bun.js', 'bun'),
  eventScenario('events-fetch-bun', 'events-protocol fetch handler on Bun.serve', 'events-fetch-bun.js', 'bun'),
];

/**
 * The bun binary itself (not pnpm's `.bin/bun` shell wrapper, which would leave bun running when
 * killed and be the process whose memory is read): bench's own dependency, else the test
 * package's; `undefined` when neither is installed.
 */
export function bunBinary(): string | undefined {
  const candidates = ['../node_modules/bun/bin/bun.exe', '../../test/node_modules/bun/bin/bun.exe'];
  return candidates
    .map((candidate) => fileURLToPath(new URL(candidate, import.meta.url)))
    .find((path) => existsSync(path));
}

export interface LoadOptions {
  connections: number;
  warmupSeconds: number;
  roundSeconds: number;
  rounds: number;
  serverCpu: string;
}

/**
 * Starts a bench server script (a file of `servers/`, or an absolute path) pinned to a CPU, in
 * node (with `nodeOptions`) or in the bun binary, and resolves once it listens. `launcher` is a
 * command the runtime runs under (`valgrind …`), which must keep the process id.
 */
export async function startServer(
  script: string,
  cpu: string,
  nodeOptions: readonly string[] = [],
  runtime: ServerRuntime = 'node',
  launcher: readonly string[] = [],
): Promise<{ child: ChildProcess; port: number }> {
  const path = isAbsolute(script) ? script : fileURLToPath(new URL(`./servers/${script}`, import.meta.url));
  const binary = runtime === 'bun' ? bunBinary() : process.execPath;
  if (binary === undefined) throw new Error(`${script} needs the bun binary, which is not installed`);
  const runtimeOptions = runtime === 'node' ? nodeOptions : [];
  const child = spawn('taskset', ['-c', cpu, ...launcher, binary, ...runtimeOptions, path, '0'], {
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
  // taskset execs node (or bun), so the pid is the server's own.
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 102.4) / 10;
}

/** Posts the bench request once; throws unless the answer is 200 with exactly the expected body. */
export async function checkAnswer(scenario: ServerScenario, port: number): Promise<void> {
  const response = await fetch(`http://127.0.0.1:${port}${scenario.path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: scenario.body,
  });
  const text = await response.text();
  if (response.status !== 200 || text !== scenario.expectedBody) {
    throw new Error(`${scenario.key} answered ${response.status} ${text}; expected 200 ${scenario.expectedBody}`);
  }
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
  const servers: { scenario: ServerScenario; child: ChildProcess; port: number }[] = [];
  try {
    for (const scenario of scenarios) {
      servers.push({ scenario, ...(await startServer(scenario.script, options.serverCpu, [], scenario.runtime)) });
    }
    for (const { scenario, port } of servers) await checkAnswer(scenario, port);
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
