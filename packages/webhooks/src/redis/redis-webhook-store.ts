import { RedisOutboxStore } from '@events-protocol/outbox/redis';
import { Redis, type RedisOptions } from 'ioredis';
import { silentWebhookLogger, type WebhookLogger } from '../webhook-logger.js';
import type { WebhookStore } from '../webhook-store.js';
import { RedisSubscriptionStore } from './redis-subscription-store.js';

/** The keys and connection of a {@link RedisWebhookStore}. */
export interface RedisWebhookStoreOptions {
  /** The key prefix, `webhooks` by default: subscriptions under `<prefix>:…`, deliveries under `<prefix>:deliveries:…`. */
  prefix?: string;
  /**
   * Extra ioredis options when the store opens its own connection from a URL. By default a
   * command waits through at most 2 reconnects (`maxRetriesPerRequest: 2`) before it fails.
   */
  redisOptions?: RedisOptions;
  /** Where the store's own connection's errors are reported (at `warn`); silent by default. */
  logger?: WebhookLogger;
}

/**
 * Webhooks on Redis: subscriptions as hashes under `<prefix>:subscription:<id>`, with a
 * uniqueness index and per-event-type sets kept by Lua scripts, and deliveries as entries of a
 * {@link RedisOutboxStore} under `<prefix>:deliveries`, on one connection.
 *
 * @example
 * const store = new RedisWebhookStore('redis://127.0.0.1:6379', { prefix: 'webhooks' });
 * await store.setup();
 * const dispatcher = new WebhookDispatcher({ store });
 */
export class RedisWebhookStore implements WebhookStore {
  readonly subscriptions: RedisSubscriptionStore;
  readonly deliveries: RedisOutboxStore;
  /** The connection both stores use. */
  readonly redis: Redis;
  readonly #owns: boolean;

  /**
   * @param connection an ioredis client (its owner closes it and listens to its `'error'`), or a
   * `redis://` URL (the store owns that connection).
   */
  constructor(connection: { redis: Redis } | string, options: RedisWebhookStoreOptions = {}) {
    const prefix = options.prefix ?? 'webhooks';
    this.#owns = typeof connection === 'string';
    this.redis =
      typeof connection === 'string'
        ? new Redis(connection, { maxRetriesPerRequest: 2, ...options.redisOptions })
        : connection.redis;
    if (this.#owns) {
      // Without a listener ioredis reports every reconnect as an unhandled error; the commands
      // that fail meanwhile reject on their own.
      const logger = options.logger ?? silentWebhookLogger();
      this.redis.on('error', (error: unknown) =>
        logger.warn({ err: error, store: 'redis' }, 'webhook store lost its Redis connection'),
      );
    }
    this.subscriptions = new RedisSubscriptionStore({ redis: this.redis, prefix });
    this.deliveries = new RedisOutboxStore({ redis: this.redis, prefix: `${prefix}:deliveries` });
  }

  /** Creates the deliveries' stream and consumer group when missing; names what it created. */
  async setup(): Promise<string[]> {
    return [...(await this.subscriptions.setup()), ...(await this.deliveries.setup())];
  }

  /** Closes the connection when the store opened it. */
  async close(): Promise<void> {
    await this.subscriptions.close();
    await this.deliveries.close();
    if (this.#owns) await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
