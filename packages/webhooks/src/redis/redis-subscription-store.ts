import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import {
  decodeSubscription,
  encodeSubscription,
  idTaken,
  subscriptionNotFound,
  targetTaken,
} from '../stored-subscription.js';
import type { Subscription } from '../subscription.js';
import type { SubscriptionStore } from '../webhook-store.js';
import {
  deleteSubscriptionScript,
  insertSubscriptionScript,
  listSubscriptionsScript,
  replaceSubscriptionScript,
} from './redis-subscription-scripts.js';

/** How a {@link RedisSubscriptionStore} finds its keys. */
export interface RedisSubscriptionStoreOptions {
  /** The ioredis client to talk through; the store never closes it. */
  redis: Redis;
  /** The key prefix, `webhooks` by default: keys are `<prefix>:subscription:<id>`, `<prefix>:targets`, … */
  prefix?: string;
}

/** A Lua script and its SHA-1, run with EVALSHA and sent whole only when Redis does not know it yet. */
interface Script {
  source: string;
  sha: string;
}

function script(source: string): Script {
  return { source, sha: createHash('sha1').update(source).digest('hex') };
}

const scripts = {
  insert: script(insertSubscriptionScript),
  replace: script(replaceSubscriptionScript),
  delete: script(deleteSubscriptionScript),
  list: script(listSubscriptionsScript),
};

/**
 * Subscriptions as Redis hashes, one per subscription, with a hash from (event type, target URL)
 * to the id that a Lua script checks and sets atomically (so of concurrent inserts to one target
 * exactly one succeeds), and sorted sets per event type for listings and
 * {@link activeSubscriptionsFor}, oldest first. Needs nothing created in advance.
 */
export class RedisSubscriptionStore implements SubscriptionStore {
  readonly name = 'redis';
  readonly #redis: Redis;
  readonly #prefix: string;

  constructor(options: RedisSubscriptionStoreOptions) {
    this.#redis = options.redis;
    this.#prefix = options.prefix ?? 'webhooks';
  }

  async insertSubscription(subscription: Subscription): Promise<void> {
    const [outcome, holder] = await this.#write(scripts.insert, subscription);
    if (outcome === 'id') throw idTaken(subscription.id);
    if (outcome === 'target') throw targetTaken(subscription, holder ?? '');
  }

  async replaceSubscription(subscription: Subscription): Promise<void> {
    const [outcome, holder] = await this.#write(scripts.replace, subscription);
    if (outcome === 'missing') throw subscriptionNotFound(subscription.id);
    if (outcome === 'target') throw targetTaken(subscription, holder ?? '');
  }

  async getSubscription(id: string): Promise<Subscription | undefined> {
    const document = await this.#redis.hget(`${this.#prefix}:subscription:${id}`, 'document');
    return document === null ? undefined : decodeSubscription(document);
  }

  listSubscriptions(filter: { eventType?: string } = {}): Promise<Subscription[]> {
    return this.#list(filter.eventType === undefined ? 'all' : `type:${filter.eventType}`);
  }

  async deleteSubscription(id: string): Promise<boolean> {
    return (await this.#run(scripts.delete, [this.#prefix, id])) === 1;
  }

  activeSubscriptionsFor(eventType: string): Promise<Subscription[]> {
    return this.#list(`active:${eventType}`);
  }

  /** Nothing to create on Redis. */
  setup(): Promise<string[]> {
    return Promise.resolve([]);
  }

  /** Nothing to release: the connection is its owner's. */
  close(): Promise<void> {
    return Promise.resolve();
  }

  async #list(set: string): Promise<Subscription[]> {
    const documents = (await this.#run(scripts.list, [this.#prefix, `${this.#prefix}:${set}`])) as string[];
    return documents.map(decodeSubscription);
  }

  async #write(which: Script, subscription: Subscription): Promise<[string, string | undefined]> {
    const reply = (await this.#run(which, [
      this.#prefix,
      subscription.id,
      subscription.eventType,
      JSON.stringify([subscription.eventType, subscription.targetUrl]),
      subscription.active ? '1' : '0',
      encodeSubscription(subscription),
    ])) as [string, string?];
    return [reply[0], reply[1]];
  }

  async #run(which: Script, args: string[]): Promise<unknown> {
    try {
      return await this.#redis.evalsha(which.sha, 0, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return this.#redis.eval(which.source, 0, ...args);
    }
  }
}
