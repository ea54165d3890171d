/**
 * Real `nats-server` processes with JetStream for tests: one server, or a 3-node cluster on
 * 127.0.0.1. Every node gets free client, cluster and monitoring ports and its own temporary store
 * directory; stopping removes them.
 *
 * ```ts
 * await using server = await startNatsServer();          // server.url: nats://127.0.0.1:<port>
 * await using cluster = await startNatsCluster();        // cluster.urls: one client URL per node
 * await cluster.kill(1);                                 // SIGKILL node 1 (or pass another signal)
 * await cluster.restart(1);                              // same ports, same store: it rejoins
 * await cluster.waitUntilReady();                        // meta leader elected, every node healthy
 * ```
 *
 * Durability: nats-server 2.10 and later accept `jetstream { sync_interval: always }`, which fsyncs
 * every write before the server acknowledges it; the helper writes it whenever the installed server
 * supports it (`syncAlways` on the handle tells). Debian's nats-server 2.9 rejects the field: its
 * file store syncs on its own schedule (every two minutes by default), so on 2.9 the only
 * protection of an acknowledged write against a single SIGKILL is replication to the other nodes.
 *
 * Readiness: a node is ready when its monitoring `/healthz` answers ok; a cluster is ready when
 * every running node is healthy and all of them name the same running JetStream meta leader in `/jsz`.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './redis-server.js';

/** One nats-server process of a test: its ports, store and life cycle. */
export interface NatsServerNode {
  /** The server name (`n0`, `n1`, …), also its JetStream peer name. */
  readonly name: string;
  /** `nats://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  /** The cluster (route) port; 0 for a single server. */
  readonly clusterPort: number;
  /** The HTTP monitoring port (`/healthz`, `/jsz`, `/varz`). */
  readonly monitorPort: number;
  /** This node's JetStream store directory. */
  readonly storeDir: string;
  /** Whether the process is running. */
  readonly running: boolean;
  /** Sends `signal` (default SIGKILL) and waits until the process has exited. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** The process id while it runs. */
  readonly pid: number | undefined;
  /** Sends a signal without waiting: `SIGSTOP` freezes the node (it keeps its sockets), `SIGCONT` resumes it. */
  signal(signal: NodeJS.Signals): void;
  /** Starts the node again with the same ports and store, waiting until it is healthy. */
  restart(): Promise<void>;
}

/** A single JetStream-enabled nats-server. */
export interface NatsServer extends AsyncDisposable {
  readonly url: string;
  readonly port: number;
  readonly node: NatsServerNode;
  /** Whether the config asks JetStream to fsync every write (`sync_interval: always`). */
  readonly syncAlways: boolean;
  kill(signal?: NodeJS.Signals): Promise<void>;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** A JetStream cluster of nats-server nodes on 127.0.0.1. */
export interface NatsCluster extends AsyncDisposable {
  readonly nodes: readonly NatsServerNode[];
  /** Every node's client URL, for a connection that fails over between them. */
  readonly urls: readonly string[];
  readonly syncAlways: boolean;
  /** Kills node `index` with `signal` (default SIGKILL). */
  kill(index: number, signal?: NodeJS.Signals): Promise<void>;
  /** Restarts node `index` and waits until the cluster is ready again. */
  restart(index: number): Promise<void>;
  /** Waits until every running node is healthy and they agree on a meta leader. */
  waitUntilReady(timeoutMs?: number): Promise<void>;
  /** The current JetStream meta leader's name, as the first running node reports it. */
  metaLeader(): Promise<string | undefined>;
  stop(): Promise<void>;
}

let cachedVersion: string | undefined;

/** The installed nats-server's version, e.g. `2.9.10`. */
export function natsServerVersion(): string {
  cachedVersion ??= /v?(\d+\.\d+\.\d+)/.exec(execFileSync('nats-server', ['--version'], { encoding: 'utf8' }))?.[1];
  if (cachedVersion === undefined) throw new Error('could not read the nats-server version');
  return cachedVersion;
}

/** Whether the installed nats-server accepts `jetstream { sync_interval: always }` (2.10+). */
export function natsSupportsSyncInterval(): boolean {
  const [major = 0, minor = 0] = natsServerVersion().split('.').map(Number);
  return major > 2 || (major === 2 && minor >= 10);
}

interface NodePlan {
  name: string;
  port: number;
  clusterPort: number;
  monitorPort: number;
  storeDir: string;
  configFile: string;
}

function configText(plan: NodePlan, routes: readonly number[], syncAlways: boolean): string {
  const lines = [
    `server_name: ${plan.name}`,
    `listen: 127.0.0.1:${plan.port}`,
    `http: 127.0.0.1:${plan.monitorPort}`,
    `jetstream {`,
    `  store_dir: ${JSON.stringify(plan.storeDir)}`,
    ...(syncAlways ? ['  sync_interval: always'] : []),
    `}`,
  ];
  if (plan.clusterPort !== 0) {
    lines.push(
      `cluster {`,
      `  name: events-test`,
      `  listen: 127.0.0.1:${plan.clusterPort}`,
      `  routes: [${routes.map((port) => `nats-route://127.0.0.1:${port}`).join(', ')}]`,
      `}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

async function monitor(port: number, path: string): Promise<unknown> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(2_000) });
  return await response.json();
}

async function healthy(port: number): Promise<boolean> {
  try {
    const body = (await monitor(port, '/healthz')) as { status?: string };
    return body.status === 'ok';
  } catch {
    return false;
  }
}

async function leaderOf(port: number): Promise<string | undefined> {
  try {
    const body = (await monitor(port, '/jsz')) as { meta_cluster?: { leader?: string } };
    const leader = body.meta_cluster?.leader;
    return leader === undefined || leader === '' ? undefined : leader;
  } catch {
    return undefined;
  }
}

function createNode(plan: NodePlan, output: string[]): NatsServerNode & { launch(): Promise<void> } {
  let child: ChildProcess | undefined;

  async function launch(): Promise<void> {
    const process = spawn('nats-server', ['-c', plan.configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = process;
    const collect = (chunk: Buffer): void => {
      output.push(`[${plan.name}] ${chunk.toString()}`);
      if (output.length > 400) output.splice(0, output.length - 400);
    };
    process.stdout.on('data', collect);
    process.stderr.on('data', collect);
    const failed = new Promise<never>((_, reject) => {
      process.once('error', (error) =>
        reject(new Error(`could not start nats-server (is it installed?): ${error.message}`)),
      );
      process.once('exit', (code) =>
        reject(new Error(`nats-server ${plan.name} exited with ${String(code)}:\n${output.join('')}`)),
      );
    });
    failed.catch(() => undefined);
    const listening = (async (): Promise<void> => {
      for (let attempt = 0; attempt < 600; attempt += 1) {
        try {
          await monitor(plan.monitorPort, '/varz');
          return;
        } catch {
          await sleep(50);
        }
      }
      throw new Error(`nats-server ${plan.name} did not open its monitoring port`);
    })();
    await Promise.race([listening, failed]);
  }

  return {
    ...plan,
    url: `nats://127.0.0.1:${plan.port}`,
    get pid() {
      return child?.pid;
    },
    get running() {
      return child !== undefined && child.exitCode === null && child.signalCode === null;
    },
    launch,
    async kill(signal: NodeJS.Signals = 'SIGKILL') {
      const running = child;
      child = undefined;
      if (running === undefined || running.exitCode !== null || running.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        running.once('exit', () => resolve());
        running.kill(signal);
      });
    },
    signal(signal: NodeJS.Signals) {
      child?.kill(signal);
    },
    async restart() {
      await launch();
      for (let attempt = 0; attempt < 1_200; attempt += 1) {
        if (await healthy(plan.monitorPort)) return;
        await sleep(50);
      }
      throw new Error(`nats-server ${plan.name} did not become healthy after a restart`);
    },
  };
}

async function planNodes(size: number, clustered: boolean): Promise<{ root: string; plans: NodePlan[] }> {
  const root = await mkdtemp(join(tmpdir(), 'events-nats-'));
  const plans: NodePlan[] = [];
  for (let index = 0; index < size; index += 1) {
    const storeDir = join(root, `n${index}`, 'store');
    await mkdir(storeDir, { recursive: true });
    plans.push({
      name: `n${index}`,
      port: await freePort(),
      clusterPort: clustered ? await freePort() : 0,
      monitorPort: await freePort(),
      storeDir,
      configFile: join(root, `n${index}`, 'nats.conf'),
    });
  }
  return { root, plans };
}

/** Starts one JetStream-enabled nats-server and waits until it is healthy. */
export async function startNatsServer(): Promise<NatsServer> {
  const syncAlways = natsSupportsSyncInterval();
  const { root, plans } = await planNodes(1, false);
  const plan = plans[0]!;
  await writeFile(plan.configFile, configText(plan, [], syncAlways));
  const output: string[] = [];
  const node = createNode(plan, output);

  async function ready(): Promise<void> {
    for (let attempt = 0; attempt < 600; attempt += 1) {
      if (await healthy(plan.monitorPort)) return;
      await sleep(50);
    }
    throw new Error(`nats-server did not become healthy:\n${output.join('')}`);
  }
  async function stop(): Promise<void> {
    await node.kill();
    await rm(root, { recursive: true, force: true });
  }

  await node.launch();
  await ready();
  return {
    url: node.url,
    port: node.port,
    node,
    syncAlways,
    kill: (signal) => node.kill(signal),
    async restart() {
      await node.launch();
      await ready();
    },
    stop,
    [Symbol.asyncDispose]: stop,
  };
}

/** Starts a JetStream cluster of `size` nodes (default 3) and waits until it has a meta leader. */
export async function startNatsCluster(options: { size?: number } = {}): Promise<NatsCluster> {
  const size = options.size ?? 3;
  const syncAlways = natsSupportsSyncInterval();
  const { root, plans } = await planNodes(size, true);
  const routes = plans.map((plan) => plan.clusterPort);
  for (const plan of plans) await writeFile(plan.configFile, configText(plan, routes, syncAlways));
  const output: string[] = [];
  const nodes = plans.map((plan) => createNode(plan, output));

  function nodeAt(index: number): (typeof nodes)[number] {
    const node = nodes[index];
    if (node === undefined) throw new Error(`no node ${index} in a cluster of ${nodes.length}`);
    return node;
  }

  async function metaLeader(): Promise<string | undefined> {
    const first = nodes.find((node) => node.running);
    return first === undefined ? undefined : leaderOf(first.monitorPort);
  }

  async function waitUntilReady(timeoutMs = 60_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      const running = nodes.filter((node) => node.running);
      const health = await Promise.all(running.map((node) => healthy(node.monitorPort)));
      const leaders = await Promise.all(running.map((node) => leaderOf(node.monitorPort)));
      const leader = leaders[0];
      const leaderRuns = running.some((node) => node.name === leader);
      if (health.every(Boolean) && leaderRuns && leaders.every((name) => name === leader)) return;
      await sleep(100);
    }
    throw new Error(`the NATS cluster did not become ready in ${timeoutMs} ms:\n${output.join('')}`);
  }

  async function stop(): Promise<void> {
    await Promise.all(nodes.map((node) => node.kill()));
    await rm(root, { recursive: true, force: true });
  }

  try {
    await Promise.all(nodes.map((node) => node.launch()));
    await waitUntilReady();
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    nodes,
    urls: nodes.map((node) => node.url),
    syncAlways,
    kill: (index, signal) => nodeAt(index).kill(signal),
    async restart(index) {
      await nodeAt(index).launch();
      await waitUntilReady();
    },
    waitUntilReady,
    metaLeader,
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
