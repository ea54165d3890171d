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
import { rm, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  configText,
  createNode,
  healthy,
  leaderOf,
  natsSupportsSyncInterval,
  planNodes,
  withFreshPortsOnCollision,
  type NatsServerNode,
} from './nats-node.js';

export { natsServerVersion, natsSupportsSyncInterval, type NatsServerNode } from './nats-node.js';

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

/** Starts one JetStream-enabled nats-server and waits until it is healthy. */
export async function startNatsServer(): Promise<NatsServer> {
  return await withFreshPortsOnCollision(startNatsServerOnce);
}

async function startNatsServerOnce(): Promise<NatsServer> {
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

  try {
    await node.launch();
    await ready();
  } catch (error) {
    await stop();
    throw error;
  }
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
  return await withFreshPortsOnCollision(() => startNatsClusterOnce(options.size ?? 3));
}

async function startNatsClusterOnce(size: number): Promise<NatsCluster> {
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
