/**
 * One `nats-server` process of a test: its config, ports, life cycle and readiness checks, used by
 * `nats-server.ts` to start single servers and clusters.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './free-port.js';

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

export interface NodePlan {
  name: string;
  port: number;
  clusterPort: number;
  monitorPort: number;
  storeDir: string;
  configFile: string;
}

export function configText(plan: NodePlan, routes: readonly number[], syncAlways: boolean): string {
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

export async function healthy(port: number): Promise<boolean> {
  try {
    const body = (await monitor(port, '/healthz')) as { status?: string };
    return body.status === 'ok';
  } catch {
    return false;
  }
}

export async function leaderOf(port: number): Promise<string | undefined> {
  try {
    const body = (await monitor(port, '/jsz')) as { meta_cluster?: { leader?: string } };
    const leader = body.meta_cluster?.leader;
    return leader === undefined || leader === '' ? undefined : leader;
  } catch {
    return undefined;
  }
}

export function createNode(plan: NodePlan, output: string[]): NatsServerNode & { launch(): Promise<void> } {
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

/**
 * Runs `start` again with newly planned ports when a node could not bind one of its ports: another
 * test can take a port between the probe in `freePort` and the server's own bind.
 */
export async function withFreshPortsOnCollision<T>(start: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await start();
    } catch (error) {
      const collided = error instanceof Error && error.message.includes('address already in use');
      if (!collided || attempt === 3) throw error;
    }
  }
}

export async function planNodes(size: number, clustered: boolean): Promise<{ root: string; plans: NodePlan[] }> {
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
