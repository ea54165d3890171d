import type { WebhookStore } from '@events-protocol/webhooks';
import { PostgresWebhookStore } from '@events-protocol/webhooks/postgres';
import { RedisWebhookStore } from '@events-protocol/webhooks/redis';
import { afterAll, beforeAll } from 'vitest';
import { startPostgresServer, type PostgresServer } from '../support/postgres-server.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';

/** A store to run a webhook test on: `undefined` opens the harness's SQLite file. */
export type StoreBackend = [name: string, open: (() => Promise<WebhookStore>) | undefined];

/** A store on a server of its own: PostgreSQL or Redis. */
export type ServerStoreBackend = [name: string, open: () => Promise<WebhookStore>];

/** The URLs of the PostgreSQL and Redis servers of a test file; read them inside tests only. */
export interface WebhookTestServers {
  readonly postgresUrl: string;
  readonly redisUrl: string;
}

/**
 * Starts a real PostgreSQL and a real Redis for the file (on free ports, in temporary
 * directories) before its tests and stops them after them. Call at the top of a test file.
 */
export function webhookTestServers(): WebhookTestServers {
  let postgres: PostgresServer | undefined;
  let redis: RedisServer | undefined;
  beforeAll(async () => {
    [postgres, redis] = await Promise.all([startPostgresServer(), startRedisServer()]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([postgres?.stop(), redis?.stop()]);
  });
  const running = <T>(server: T | undefined): T => {
    if (server === undefined) throw new Error('the test servers did not start');
    return server;
  };
  return {
    get postgresUrl() {
      return running(postgres).url;
    },
    get redisUrl() {
      return running(redis).url;
    },
  };
}

/**
 * PostgreSQL and Redis ({@link webhookTestServers}), each test on fresh tables or a fresh key
 * prefix named after `label`. Call at the top of a test file.
 */
export function serverStoreBackends(label = 'hooks'): ServerStoreBackend[] {
  const servers = webhookTestServers();
  let stores = 0;
  return [
    [
      'PostgreSQL',
      () =>
        Promise.resolve(
          new PostgresWebhookStore(servers.postgresUrl, {
            subscriptionsTable: `${label}_subscriptions_${++stores}`,
            deliveriesTable: `${label}_deliveries_${stores}`,
          }),
        ),
    ],
    ['Redis', () => Promise.resolve(new RedisWebhookStore(servers.redisUrl, { prefix: `${label}-${++stores}` }))],
  ];
}

/** SQLite (the harness's file), then {@link serverStoreBackends}. Call at the top of a test file. */
export function storeBackends(label = 'hooks'): StoreBackend[] {
  return [['SQLite', undefined], ...serverStoreBackends(label)];
}
