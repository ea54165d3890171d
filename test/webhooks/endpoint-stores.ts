import type { WebhookStore } from '@events-protocol/webhooks';
import { PostgresWebhookStore } from '@events-protocol/webhooks/postgres';
import { RedisWebhookStore } from '@events-protocol/webhooks/redis';
import { SqliteWebhookStore } from '@events-protocol/webhooks/sqlite';
import { storeFile } from './harness.js';
import { webhookTestServers } from './store-backends.js';

/** One of the three webhook stores on a real server: `open()` a fresh one, `peer()` another handle on the same data. */
export interface EndpointTestStore {
  readonly name: 'SQLite' | 'PostgreSQL' | 'Redis';
  /** A fresh, empty store (its own file, tables or key prefix), and a second handle on the same data. */
  open(): Promise<{ store: WebhookStore; peer: () => WebhookStore; cleanup: () => Promise<void> }>;
}

let unique = 0;

/**
 * The three stores the endpoint tests run on: SQLite on a temporary file, PostgreSQL and Redis
 * on the file's {@link webhookTestServers}.
 */
export function endpointTestStores(): EndpointTestStore[] {
  const servers = webhookTestServers();
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
        const url = servers.postgresUrl;
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
        const url = servers.redisUrl;
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
