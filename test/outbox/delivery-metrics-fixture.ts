import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { readJson } from '@events-protocol/core';
import type { OutboxRelay, OutboxStore } from '@events-protocol/outbox';
import { PostgresOutboxStore } from '@events-protocol/outbox/postgres';
import { RedisOutboxStore } from '@events-protocol/outbox/redis';
import { SqliteOutboxStore } from '@events-protocol/outbox/sqlite';
import { listen, readBody, type RunningServer } from '../support/http-server.js';
import { startPostgresServer, type PostgresServer } from '../support/postgres-server.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';

/** The real stores the metrics tests run on, each started (a file, a server) on first use. */
export interface MetricsStores {
  readonly kinds: readonly StoreKind[];
  open(kind: StoreKind): Promise<OutboxStore>;
  close(): Promise<void>;
}

export type StoreKind = 'SQLite' | 'Redis' | 'PostgreSQL';

/** Opens stores on a SQLite file in a temporary directory, a redis-server and a PostgreSQL server. */
export function metricsStores(): MetricsStores {
  let directory: string | undefined;
  let redis: Promise<RedisServer> | undefined;
  let postgres: Promise<PostgresServer> | undefined;
  const opened: OutboxStore[] = [];
  let count = 0;
  return {
    kinds: ['SQLite', 'Redis', 'PostgreSQL'],
    async open(kind) {
      count++;
      let store: OutboxStore;
      if (kind === 'SQLite') {
        directory ??= await mkdtemp(join(tmpdir(), 'delivery-metrics-'));
        store = new SqliteOutboxStore({ filename: join(directory, `${count}.db`) });
      } else if (kind === 'Redis') {
        redis ??= startRedisServer();
        store = new RedisOutboxStore({ redis: (await redis).url, prefix: `metrics-${count}` });
      } else {
        postgres ??= startPostgresServer();
        store = new PostgresOutboxStore({ pool: (await postgres).url, table: `metrics_${count}` });
      }
      await store.setup();
      opened.push(store);
      return store;
    },
    async close() {
      await Promise.all(opened.map((store) => store.close().catch(() => undefined)));
      if (redis !== undefined) await (await redis).stop();
      if (postgres !== undefined) await (await postgres).stop();
      if (directory !== undefined) await rm(directory, { recursive: true, force: true });
    },
  };
}

/** A node:http receiver that answers 503 to the event ids in `failing` and 204 to the rest. */
export interface FailingReceiver extends RunningServer {
  readonly url: string;
  readonly failing: Set<string>;
  readonly accepted: () => number;
  readonly refused: () => number;
}

export async function startFailingReceiver(failing: Iterable<string>): Promise<FailingReceiver> {
  const ids = new Set(failing);
  let accepted = 0;
  let refused = 0;
  const server = await listen((request, response) => {
    void readBody(request).then((body) => {
      const { id } = readJson(body) as { id: string };
      if (ids.has(id)) {
        refused++;
        response.writeHead(503).end();
      } else {
        accepted++;
        response.writeHead(204).end();
      }
    });
  });
  return {
    ...server,
    url: `${server.origin}/hooks`,
    failing: ids,
    accepted: () => accepted,
    refused: () => refused,
  };
}

/** Runs the relay until two runs 20 ms apart claim nothing; throws when 50 rounds do not get there. */
export async function drain(relay: OutboxRelay): Promise<void> {
  for (let round = 0; round < 50; round++) {
    if ((await relay.runOnce()).claimed === 0) {
      await sleep(20);
      if ((await relay.runOnce()).claimed === 0) return;
    }
  }
  throw new Error('the relay did not drain the outbox');
}
