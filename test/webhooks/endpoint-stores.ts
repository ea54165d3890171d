import type { WebhookStore } from '@events-protocol/webhooks';
import { PostgresWebhookStore } from '@events-protocol/webhooks/postgres';
import { RedisWebhookStore } from '@events-protocol/webhooks/redis';
import { SqliteWebhookStore } from '@events-protocol/webhooks/sqlite';
import { afterAll, beforeAll } from 'vitest';
import { startPostgresServer, type PostgresServer } from '../support/postgres-server.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { storeFile } from './harness.js';

/** One of the three webhook stores on a real server: `open()` a fresh one, `peer()` another handle on the same data. */
export interface EndpointTestStore {
  readonly name: 'SQLite' | 'PostgreSQL' | 'Redis';
  /** A fresh, empty store (its own file, tables or key prefix), and a second handle on the same data. */
  open(): Promise<{ store: WebhookStore; peer: () => WebhookStore; cleanup: () => Promise<void> }>;
}

let unique = 0;

/**
 * The three stores the endpoint tests run on: SQLite on a temporary file, PostgreSQL and Redis
 * started for the file (on free ports, in temporary directories) and stopped after it.
 */
export function endpointTestStores(): EndpointTestStore[] {
  let postgres: PostgresServer | undefined;
  let redis: RedisServer | undefined;
  beforeAll(async () => {
    [postgres, redis] = await Promise.all([startPostgresServer(), startRedisServer()]);
  });
  afterAll(async () => {
    await Promise.all([postgres?.stop(), redis?.stop()]);
  });
  return [
    {
      name: 'SQLite',
      async open() {
        const file = await storeFile();
        return {
          store: new SqliteWebhookStore({ filename: file.filename }),
          peer: () => new SqliteWebhookStore({ filename: file.filename }),
          cleanup: file.cleanup,
        };
      },
    },
    {
      name: 'PostgreSQL',
      open() {
        const options = {
          subscriptionsTable: `endpoint_subs_${++unique}`,
          deliveriesTable: `endpoint_deliveries_${unique}`,
        };
        const url = postgres?.url ?? '';
        return Promise.resolve({
          store: new PostgresWebhookStore(url, options),
          peer: () => new PostgresWebhookStore(url, options),
          cleanup: () => Promise.resolve(),
        });
      },
    },
    {
      name: 'Redis',
      open() {
        const prefix = `endpoint-${++unique}`;
        const url = redis?.url ?? '';
        return Promise.resolve({
          store: new RedisWebhookStore(url, { prefix }),
          peer: () => new RedisWebhookStore(url, { prefix }),
          cleanup: () => Promise.resolve(),
        });
      },
    },
  ];
}

/** A clock that tests move forward: real time plus `offsetMs`. */
export function movableClock(): { now: () => number; advance: (ms: number) => void } {
  let offsetMs = 0;
  return {
    now: () => Date.now() + offsetMs,
    advance: (ms) => {
      offsetMs += ms;
    },
  };
}
