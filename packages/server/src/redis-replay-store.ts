import { readJson, readResponseEvent, writeJson, type ResponseEvent } from '@events-protocol/core';
import type { ReplayClaim, ReplayStore } from './replay-store.js';

/**
 * The few Redis commands replay needs, as ioredis and node-redis (v4+, legacy mode aside) offer
 * them: pass your existing client, the server package depends on no Redis library.
 */
export interface ReplayRedisClient {
  set(key: string, value: string, px: 'PX', milliseconds: number, nx: 'NX'): Promise<string | null>;
  set(key: string, value: string, px: 'PX', milliseconds: number): Promise<string | null>;
  get(key: string): Promise<string | null>;
  del(key: string): Promise<number>;
}

const running = '"running"';

/**
 * A {@link ReplayStore} in Redis, shared by every instance of a service: claims are `SET … NX PX`
 * (atomic), answers are stored as the response event's JSON with the retention as TTL.
 */
export class RedisReplayStore implements ReplayStore {
  readonly #redis: ReplayRedisClient;
  readonly #prefix: string;

  /** @param options.prefix the key prefix, `events:replay:` by default. */
  constructor(redis: ReplayRedisClient, options: { prefix?: string } = {}) {
    this.#redis = redis;
    this.#prefix = options.prefix ?? 'events:replay:';
  }

  async claim(key: string, leaseMs: number): Promise<ReplayClaim> {
    const redisKey = this.#prefix + key;
    if ((await this.#redis.set(redisKey, running, 'PX', Math.max(1, Math.ceil(leaseMs)), 'NX')) === 'OK') {
      return { status: 'claimed' };
    }
    const stored = await this.#redis.get(redisKey);
    if (stored === null) return this.claim(key, leaseMs); // expired between the two commands
    if (stored === running) return { status: 'running' };
    const answer = readResponseEvent(readJson(stored), { version: 1, id: '', flowId: '' });
    return answer === undefined ? { status: 'running' } : { status: 'answered', answer };
  }

  async complete(key: string, answer: ResponseEvent, retentionMs: number): Promise<void> {
    await this.#redis.set(this.#prefix + key, writeJson(answer), 'PX', Math.max(1, Math.ceil(retentionMs)));
  }

  async release(key: string): Promise<void> {
    await this.#redis.del(this.#prefix + key);
  }
}
