import { afterAll, describe } from 'vitest';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { startRedisStream } from './redis-stream-harness.js';
import { describeStreamSourceContract } from './source-contract.js';

describe('RedisStreamSource on a real redis-server', () => {
  let server: RedisServer | undefined;
  afterAll(() => server?.stop());
  describeStreamSourceContract('Redis Streams consumer group', async () => {
    server ??= await startRedisServer();
    return startRedisStream(server.url);
  });
});
