/**
 * CPU time per request of the server process: our node:http adapter (`servers/events-node.js`)
 * against raw node:http parsing and answering the same ~430-byte event by hand
 * (`servers/raw-node.js`). Throughput on a shared machine swings with its load; the CPU a request
 * costs the process that serves it swings far less. Each server runs pinned to CPU 1, autocannon
 * drives it from this process pinned to CPU 0 (50 connections) for a fixed number of requests,
 * and the server's user and system time is read from `/proc/<pid>/stat` before and after. Rounds
 * cycle through the servers in one fixed order after a warm-up, so that a drift in load falls on
 * all alike and none is measured twice in a row; each round's ratio is paired with the raw round
 * beside it, and medians are reported. Ratios are raw/ours: 1.0 is as cheap as raw, the target is ≥ 0.9.
 *
 * Further server scripts given as paths (another build of `events-node.js`, e.g. the code before
 * a change) are measured in the same rounds, so a before and an after share their load.
 *
 * `node bench/dist/server-cpu.js [requests per round] [rounds] [other server script …]`
 * (under Node 22 or 24: `tools/node-versions/node_modules/node22/bin/node bench/dist/server-cpu.js`).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { postEvents } from './event-load.js';
import { median } from './measure.js';
import { checkAnswer, serverScenarios, type ServerScenario } from './servers-bench.js';

/** A server measured in the rounds: its label, process and port, and the CPU µs of each round. */
interface MeasuredServer {
  readonly label: string;
  readonly child: ChildProcess;
  readonly port: number;
  readonly perRequest: number[];
}

const connections = 50;
const serverCpu = '1';
const loadCpu = '0';

const requests = Number(process.argv[2] ?? 40_000);
const rounds = Number(process.argv[3] ?? 7);
const otherScripts = process.argv.slice(4).map((path) => resolve(path));

/** Seconds of CPU per clock tick of `/proc/<pid>/stat` (USER_HZ, 100 on Linux almost always). */
const secondsPerTick = 1 / Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim() || 100);

/** A process's user plus system CPU time so far, in µs, from `/proc/<pid>/stat`. */
async function cpuMicros(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime and stime, fields 14 and 15
  return ticks * secondsPerTick * 1e6;
}

/** Starts a server script pinned to the server's CPU and resolves once it listens. */
async function startPinned(script: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn('taskset', ['-c', serverCpu, process.execPath, script, '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolvePort, reject) => {
    child.once('exit', (code) => reject(new Error(`${script} exited with ${String(code)}`)));
    child.stdout.on('data', (chunk: Buffer) => {
      const match = /listening (\d+)/.exec(chunk.toString());
      if (match?.[1] !== undefined) resolvePort(Number(match[1]));
    });
  });
  return { child, port };
}

/** Drives a server with `requests` requests, 50 connections, and returns its CPU µs per request. */
async function cpuPerRequest(server: MeasuredServer): Promise<number> {
  const pid = server.child.pid;
  if (pid === undefined) throw new Error(`${server.label} has no process id`);
  const before = await cpuMicros(pid);
  const result = await postEvents(server.port, { connections, requests });
  const spent = (await cpuMicros(pid)) - before;
  const failed = result.errors + result.timeouts + result.non2xx;
  if (failed > 0) throw new Error(`${server.label}: ${failed} of ${requests} requests failed`);
  return spent / result.requests.total;
}

function scenario(key: string): ServerScenario {
  const found = serverScenarios.find((candidate) => candidate.key === key);
  if (found === undefined) throw new Error(`no server scenario ${key}`);
  return found;
}

// Pin this process (all its threads) to the load generator's CPU.
spawnSync('taskset', ['-a', '-pc', loadCpu, String(process.pid)], { stdio: 'ignore' });

const raw = scenario('raw-node');
const ours = scenario('events-node');
const scripts = [
  { label: 'raw node:http', path: fileURLToPath(new URL(`./servers/${raw.script}`, import.meta.url)) },
  { label: 'ours', path: fileURLToPath(new URL(`./servers/${ours.script}`, import.meta.url)) },
  ...otherScripts.map((path) => ({ label: path, path })),
];
const servers: MeasuredServer[] = [];
try {
  for (const { label, path } of scripts) servers.push({ label, ...(await startPinned(path)), perRequest: [] });
  // Every server must give exactly the bench's answer before it is measured.
  for (const server of servers) await checkAnswer(ours, server.port);
  for (const server of servers) await cpuPerRequest(server);
  for (let round = 0; round < rounds; round++) {
    // Always the same cycle: a server measured twice in a row (as reversing the order every other
    // round does at its ends) costs less CPU per request the second time, which would bias
    // alternate rounds' ratios by a fifth or more.
    for (const server of servers) server.perRequest.push(await cpuPerRequest(server));
  }
  const [rawServer, ...others] = servers;
  if (rawServer === undefined) throw new Error('no raw server');
  let report = `${process.version}: raw node:http ${median(rawServer.perRequest).toFixed(1)} µs/request`;
  for (const server of others) {
    const ratios = rawServer.perRequest.map((value, round) => value / (server.perRequest[round] ?? Number.NaN));
    report += `; ${server.label} ${median(server.perRequest).toFixed(1)} µs/request, raw/ours ${median(ratios).toFixed(3)}`;
    report += ` (rounds ${ratios.map((ratio) => ratio.toFixed(2)).join(' ')})`;
  }
  process.stdout.write(`${report}; medians of ${rounds} paired rounds of ${requests} requests\n`);
} finally {
  for (const server of servers) server.child.kill('SIGKILL');
}
