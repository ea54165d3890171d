import type { WebhookStore } from '@events-protocol/webhooks';
import { PostgresWebhookStore } from '@events-protocol/webhooks/postgres';
import { RedisWebhookStore } from '@events-protocol/webhooks/redis';
import { afterAll, beforeAll } from 'vitest';
import { startPostgresServer, type PostgresServer } from '../support/postgres-server.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';

/** A store to run a webhook test on: `undefined` opens the harness's SQLite file. */
export type StoreBackend = [name: string, open: (() => Promise<WebhookStore>) | undefined];

/**
 * SQLite, PostgreSQL and Redis, each test on fresh tables or a fresh prefix: starts a real
 * PostgreSQL and a real Redis for the file (on free ports, in temporary directories) and stops
 * them after it. Call at the top of a test file.
 */
export function storeBackends(): StoreBackend[] {
  let postgres: PostgresServer | undefined;
  let redis: RedisServer | undefined;
  let stores = 0;
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
  return [
    ['SQLite', undefined],
    [
      'PostgreSQL',
      () =>
        Promise.resolve(
          new PostgresWebhookStore(running(postgres).url, {
            subscriptionsTable: `limits_subscriptions_${++stores}`,
            deliveriesTable: `limits_deliveries_${stores}`,
          }),
        ),
    ],
    ['Redis', () => Promise.resolve(new RedisWebhookStore(running(redis).url, { prefix: `limits-${++stores}` }))],
  ];
}
