import { afterAll, beforeAll } from 'vitest';
import { RedisOutboxStore } from '@events-protocol/outbox';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { describeStoreContract } from './store-contract.js';

let redis: RedisServer;
let stores = 0;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis.stop();
});

describeStoreContract('Redis', () =>
  Promise.resolve(new RedisOutboxStore({ redis: redis.url, prefix: `contract-${++stores}` })),
);
