import { afterAll, beforeAll } from 'vitest';
import { RedisOutboxStore } from '@events-protocol/outbox/redis';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { describeStoreContract } from './store-contract.js';

let redis: RedisServer;
let stores = 0;
const prefixes = new WeakMap<object, string>();
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis.stop();
});

function open(prefix: string): RedisOutboxStore {
  const store = new RedisOutboxStore({ redis: redis.url, prefix });
  prefixes.set(store, prefix);
  return store;
}

describeStoreContract('Redis', () => Promise.resolve(open(`contract-${++stores}`)), {
  openBeside: (store) => Promise.resolve(open(prefixes.get(store)!)),
  crossConnectionWakeUps: true,
});
