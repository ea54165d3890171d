import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import {
  decodeSubscription,
  encodeSubscription,
  idTaken,
  subscriptionNotFound,
  targetTaken,
} from '../stored-subscription.js';
import type { EndpointAttemptOutcome, EndpointHealth } from '../endpoint-health.js';
import type { Subscription } from '../subscription.js';
import type { SubscriptionStore } from '../webhook-store.js';
import { healthOfFields, healthOfHash, listHealthScript, recordHealthScript } from './redis-subscription-health.js';
import {
  deleteSubscriptionScript,
  insertSubscriptionScript,
  listSubscriptionsScript,
  replaceSubscriptionIfScript,
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
  replaceIf: script(replaceSubscriptionIfScript),
  recordHealth: script(recordHealthScript),
  listHealth: script(listHealthScript),
  delete: script(deleteSubscriptionScript),
  list: script(listSubscriptionsScript),
};

/**
 * Subscriptions as Redis hashes, one per subscription, with a hash from (event type, target URL)
 * to the id that a Lua script checks and sets atomically (so of concurrent inserts to one target
 * exactly one succeeds), and sorted sets per event type for listings and
 * {@link activeSubscriptionsFor}, oldest first; each endpoint's health is a hash that a script
 * updates atomically. Needs nothing created in advance.
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

  async replaceSubscriptionIf(expected: Subscription, next: Subscription): Promise<boolean> {
    const [outcome, holder] = await this.#write(scripts.replaceIf, next, encodeSubscription(expected));
    if (outcome === 'target') throw targetTaken(next, holder ?? '');
    return outcome === 'ok';
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

  async recordAttemptOutcome(
    subscriptionId: string,
    outcome: EndpointAttemptOutcome,
  ): Promise<EndpointHealth | undefined> {
    const fields = (await this.#run(scripts.recordHealth, [
      this.#prefix,
      subscriptionId,
      outcome.delivered ? '1' : '0',
      String(outcome.at.getTime()),
      String(outcome.delivered ? (outcome.count ?? 1) : 1),
    ])) as string[];
    return fields.length === 0 ? undefined : healthOfFields(subscriptionId, fields);
  }

  async getHealth(subscriptionIds: readonly string[]): Promise<Map<string, EndpointHealth>> {
    const ids = [...new Set(subscriptionIds)];
    const pipeline = this.#redis.pipeline();
    for (const id of ids) pipeline.hgetall(this.#healthKey(id));
    const replies = (await pipeline.exec()) ?? [];
    const found = new Map<string, EndpointHealth>();
    ids.forEach((id, index) => {
      const [error, hash] = replies[index] ?? [new Error('no reply'), undefined];
      if (error !== null) throw error;
      const fields = hash as Record<string, string>;
      if (Object.keys(fields).length > 0) found.set(id, healthOfHash(id, fields));
    });
    return found;
  }

  async listHealth(): Promise<EndpointHealth[]> {
    const reply = (await this.#run(scripts.listHealth, [this.#prefix])) as (string | string[])[];
    const found: EndpointHealth[] = [];
    for (let index = 0; index + 1 < reply.length; index += 2) {
      found.push(healthOfFields(reply[index] as string, reply[index + 1] as string[]));
    }
    return found.sort((a, b) =>
      a.subscriptionId < b.subscriptionId ? -1 : a.subscriptionId > b.subscriptionId ? 1 : 0,
    );
  }

  async resetHealth(subscriptionId: string): Promise<void> {
    await this.#redis.del(this.#healthKey(subscriptionId));
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

  #healthKey(id: string): string {
    return `${this.#prefix}:health:${id}`;
  }

  async #write(which: Script, subscription: Subscription, ...extra: string[]): Promise<[string, string | undefined]> {
    const reply = (await this.#run(which, [
      this.#prefix,
      subscription.id,
      subscription.eventType,
      JSON.stringify([subscription.eventType, subscription.targetUrl]),
      subscription.active ? '1' : '0',
      encodeSubscription(subscription),
      ...extra,
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
