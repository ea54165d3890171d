import { Redis, type RedisOptions } from 'ioredis';
import { silentOutboxLogger, type OutboxLogger } from './outbox-logger.js';
import { guardRedis } from './redis-connection.js';
import type {
  AttemptError,
  ClaimOptions,
  ClaimedEvent,
  ListUndeliveredOptions,
  OutboxEntry,
  OutboxStore,
  RedeliverSelection,
  UndeliveredEvent,
  UndeliveredPage,
} from './outbox-store.js';
import { claimRedisEntries } from './redis-claim.js';
import { field, flatten, readEntries, type RedisEntry } from './redis-entry.js';
import {
  cancelScript,
  enqueueScript,
  markDeliveredScript,
  markFailedScript,
  moveToUndeliveredScript,
  purgeScript,
  redeliverScript,
} from './redis-scripts.js';
import {
  checkLimit,
  decodeAttributes,
  decodeErrors,
  decodeEvent,
  encodeEvent,
  matchesFilter,
} from './stored-record.js';

/** How a {@link RedisOutboxStore} connects and names its keys. */
export interface RedisOutboxStoreOptions {
  /** An ioredis client (not closed by the store) or a `redis://` URL (the store owns that connection). */
  redis: Redis | string;
  /** The key prefix: `<prefix>:events`, `:retries`, `:undelivered`, `:delivered`. `outbox` by default. */
  prefix?: string;
  /** The consumer group all relays share, `relays` by default. */
  group?: string;
  /**
   * Extra ioredis options when the store opens its own connection from a URL. By default a
   * command waits through at most 2 reconnects (`maxRetriesPerRequest: 2`) before it fails with
   * `STORE_UNAVAILABLE`.
   */
  redisOptions?: RedisOptions;
  /** Where the store reports its own connection's errors (at `warn`); silent by default. */
  logger?: OutboxLogger;
}

const scanChunk = 500;

/** A Redis claim's receipt is `<entry id>|<consumer>`: the entry and who must still own it. */
function readReceipt(claimed: ClaimedEvent): [entryId: string, owner: string] {
  const separator = claimed.receipt.indexOf('|');
  return [claimed.receipt.slice(0, separator), claimed.receipt.slice(separator + 1)];
}

/**
 * Redis Streams as a distributed queue: relays on many machines read one stream through a
 * consumer group, acknowledge an entry only after delivery, and take over entries idle past the
 * lease (`XAUTOCLAIM`) from a relay that died. Retries wait in a sorted set until due; events out
 * of attempts go to a dead-letter stream (`<prefix>:undelivered`). Durability is Redis's: run it
 * with `appendonly yes` (and `appendfsync always` to lose nothing on a power cut).
 *
 * @example
 * const store = new RedisOutboxStore({ redis: 'redis://127.0.0.1:6379', prefix: 'orders-outbox' });
 */
export class RedisOutboxStore implements OutboxStore {
  readonly name = 'redis';
  readonly #redis: Redis;
  readonly #owns: boolean;
  readonly #group: string;
  readonly #keys: {
    events: string;
    retries: string;
    undelivered: string;
    delivered: string;
    scheduled: string;
    ids: string;
    interrupted: string;
  };
  #groupReady: Promise<void> | undefined;

  constructor(options: RedisOutboxStoreOptions) {
    this.#owns = typeof options.redis === 'string';
    const redis =
      typeof options.redis === 'string'
        ? new Redis(options.redis, { maxRetriesPerRequest: 2, ...options.redisOptions })
        : options.redis;
    // Connection errors surface as rejected calls (STORE_UNAVAILABLE, and a relay's logged store
    // failures), and as warnings of the store's logger: never as process noise. A client passed
    // in is its owner's to listen to.
    if (this.#owns) {
      const logger = options.logger ?? silentOutboxLogger();
      redis.on('error', (error: unknown) =>
        logger.warn({ err: error, store: this.name }, 'outbox store lost its Redis connection'),
      );
    }
    this.#redis = guardRedis(redis);
    this.#group = options.group ?? 'relays';
    const prefix = options.prefix ?? 'outbox';
    this.#keys = {
      events: `${prefix}:events`,
      retries: `${prefix}:retries`,
      undelivered: `${prefix}:undelivered`,
      delivered: `${prefix}:delivered`,
      scheduled: `${prefix}:scheduled`,
      ids: `${prefix}:ids`,
      interrupted: `${prefix}:interrupted`,
    };
  }

  /** An id already stored (pending, scheduled, undelivered, or delivered and not purged) is ignored. */
  async enqueue(entry: OutboxEntry): Promise<void> {
    const [keys, args] = this.#enqueueCall(entry);
    await this.#redis.eval(enqueueScript, keys.length, ...keys, ...args);
  }

  /** Every entry is written as Redis arguments first, then all run in one MULTI/EXEC. */
  async enqueueBatch(entries: readonly OutboxEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const calls = entries.map((entry) => this.#enqueueCall(entry));
    const transaction = this.#redis.multi();
    for (const [keys, args] of calls) transaction.eval(enqueueScript, keys.length, ...keys, ...args);
    const results = await transaction.exec();
    const failed = results?.find(([error]) => error !== null)?.[0];
    if (results === null) throw new Error('the Redis transaction was discarded');
    if (failed !== undefined && failed !== null) throw failed;
  }

  #enqueueCall(entry: OutboxEntry): [keys: string[], args: (string | number)[]] {
    const { ids, events, retries, scheduled, undelivered } = this.#keys;
    const id = entry.event.id;
    if (entry.failure !== undefined) {
      const failedAt = new Date(entry.failure.at).getTime();
      const fields = [...this.#fields(entry, 1, [entry.failure]), ...flatten({ failedAt: String(failedAt) })];
      return [
        [ids, undelivered],
        [id, 'undelivered', 0, ...fields],
      ];
    }
    const fields = this.#fields(entry, 0, []);
    if (entry.availableAt !== undefined && entry.availableAt.getTime() > entry.enqueuedAt.getTime()) {
      return [
        [ids, retries, scheduled],
        [id, 'scheduled', entry.availableAt.getTime(), ...fields],
      ];
    }
    return [
      [ids, events],
      [id, 'due', 0, ...fields],
    ];
  }

  async cancel(id: string): Promise<boolean> {
    const { retries, scheduled, ids } = this.#keys;
    return (await this.#redis.eval(cancelScript, 3, retries, scheduled, ids, id)) === 1;
  }

  /** Creates the stream and the relays' consumer group when missing; names what it created. */
  async setup(): Promise<string[]> {
    const existed = (await this.#redis.exists(this.#keys.events)) === 1;
    let groupCreated = true;
    try {
      await this.#redis.call('XGROUP', ['CREATE', this.#keys.events, this.#group, '0', 'MKSTREAM']);
    } catch (error) {
      if (!(error instanceof Error && error.message.startsWith('BUSYGROUP'))) throw error;
      groupCreated = false;
    }
    this.#groupReady = Promise.resolve();
    return [
      ...(existed ? [] : [`stream ${this.#keys.events}`]),
      ...(groupCreated ? [`consumer group ${this.#group} on ${this.#keys.events}`] : []),
    ];
  }

  async claim(options: ClaimOptions): Promise<ClaimedEvent[]> {
    await this.#ensureGroup();
    return claimRedisEntries({ redis: this.#redis, keys: this.#keys, group: this.#group }, options);
  }

  async markDelivered(claimed: ClaimedEvent, at: Date): Promise<boolean> {
    const { events, delivered, interrupted } = this.#keys;
    const args = [this.#group, ...readReceipt(claimed), claimed.event.id, at.getTime()];
    return (await this.#redis.eval(markDeliveredScript, 3, events, delivered, interrupted, ...args)) === 1;
  }

  async markFailed(claimed: ClaimedEvent, error: AttemptError, nextAttemptAt: Date): Promise<boolean> {
    const member = JSON.stringify(this.#fields(claimed, claimed.attempt, [...claimed.errors, error]));
    const args = [this.#group, ...readReceipt(claimed), nextAttemptAt.getTime(), member];
    const { events, retries, interrupted } = this.#keys;
    return (await this.#redis.eval(markFailedScript, 3, events, retries, interrupted, ...args)) === 1;
  }

  async moveToUndelivered(claimed: ClaimedEvent, error: AttemptError, at: Date): Promise<boolean> {
    const fields = [
      ...this.#fields(claimed, claimed.attempt, [...claimed.errors, error]),
      ...flatten({ failedAt: String(at.getTime()) }),
    ];
    const args = [this.#group, ...readReceipt(claimed), ...fields];
    const { events, undelivered, interrupted } = this.#keys;
    return (await this.#redis.eval(moveToUndeliveredScript, 3, events, undelivered, interrupted, ...args)) === 1;
  }

  async listUndelivered(options: ListUndeliveredOptions = {}): Promise<UndeliveredPage> {
    const limit = checkLimit(options.limit);
    const events: { entryId: string; event: UndeliveredEvent }[] = [];
    let start = options.cursor === undefined ? '-' : `(${options.cursor}`;
    for (;;) {
      const chunk = readEntries(
        await this.#redis.call('XRANGE', [this.#keys.undelivered, start, '+', 'COUNT', scanChunk]),
      );
      for (const entry of chunk) {
        const event = this.#undelivered(entry);
        if (matchesFilter(options, event.topic, event.failedAt.getTime()))
          events.push({ entryId: entry.entryId, event });
        if (events.length > limit) break;
      }
      const last = chunk.at(-1);
      if (events.length > limit || chunk.length < scanChunk || last === undefined) break;
      start = `(${last.entryId}`;
    }
    const page = events.slice(0, limit);
    return {
      events: page.map((item) => item.event),
      nextCursor: events.length > limit ? page.at(-1)?.entryId : undefined,
    };
  }

  async redeliver(selection: RedeliverSelection, _now: Date): Promise<number> {
    const ids = 'ids' in selection ? new Set(selection.ids) : undefined;
    const filter = 'ids' in selection ? {} : selection;
    let count = 0;
    let start = '-';
    for (;;) {
      const chunk = readEntries(
        await this.#redis.call('XRANGE', [this.#keys.undelivered, start, '+', 'COUNT', scanChunk]),
      );
      for (const entry of chunk) {
        const event = this.#undelivered(entry);
        const selected =
          ids === undefined ? matchesFilter(filter, event.topic, event.failedAt.getTime()) : ids.has(event.id);
        if (!selected) continue;
        const fields = this.#fields({ ...event }, 0, event.errors);
        const { undelivered, events } = this.#keys;
        count += Number(await this.#redis.eval(redeliverScript, 2, undelivered, events, entry.entryId, ...fields));
      }
      const last = chunk.at(-1);
      if (chunk.length < scanChunk || last === undefined) return count;
      start = `(${last.entryId}`;
    }
  }

  async getUndelivered(id: string): Promise<UndeliveredEvent | undefined> {
    let found: UndeliveredEvent | undefined;
    await this.#scanUndelivered((entry, event) => {
      if (event.id === id) found = event;
      return Promise.resolve(found !== undefined);
    });
    return found;
  }

  async deleteUndelivered(selection: RedeliverSelection): Promise<number> {
    const ids = 'ids' in selection ? new Set(selection.ids) : undefined;
    const filter = 'ids' in selection ? {} : selection;
    let count = 0;
    await this.#scanUndelivered(async (entry, event) => {
      const selected =
        ids === undefined ? matchesFilter(filter, event.topic, event.failedAt.getTime()) : ids.has(event.id);
      if (!selected) return false;
      const [deleted] = (await this.#redis
        .multi()
        .xdel(this.#keys.undelivered, entry.entryId)
        .srem(this.#keys.ids, event.id)
        .exec()) ?? [[null, 0]];
      count += Number(deleted?.[1] ?? 0);
      return false;
    });
    return count;
  }

  /** Visits undelivered entries oldest first until `visit` resolves `true`. */
  async #scanUndelivered(visit: (entry: RedisEntry, event: UndeliveredEvent) => Promise<boolean>): Promise<void> {
    let start = '-';
    for (;;) {
      const chunk = readEntries(
        await this.#redis.call('XRANGE', [this.#keys.undelivered, start, '+', 'COUNT', scanChunk]),
      );
      for (const entry of chunk) if (await visit(entry, this.#undelivered(entry))) return;
      const last = chunk.at(-1);
      if (chunk.length < scanChunk || last === undefined) return;
      start = `(${last.entryId}`;
    }
  }

  async purgeDelivered(olderThan: Date): Promise<number> {
    return Number(await this.#redis.eval(purgeScript, 2, this.#keys.delivered, this.#keys.ids, olderThan.getTime()));
  }

  async pendingCount(): Promise<number> {
    const [streamLength, retries] = await Promise.all([
      this.#redis.call('XLEN', [this.#keys.events]),
      this.#redis.call('ZCARD', [this.#keys.retries]),
    ]);
    return Number(streamLength) + Number(retries);
  }

  async healthCheck(): Promise<boolean> {
    try {
      await this.#redis.ping();
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    if (!this.#owns || this.#redis.status === 'end') return;
    if (this.#redis.status === 'ready') await this.#redis.quit();
    else this.#redis.disconnect();
  }

  #ensureGroup(): Promise<void> {
    this.#groupReady ??= this.#redis.call('XGROUP', ['CREATE', this.#keys.events, this.#group, '0', 'MKSTREAM']).then(
      () => undefined,
      (error: unknown) => {
        if (error instanceof Error && error.message.startsWith('BUSYGROUP')) return;
        this.#groupReady = undefined;
        throw error;
      },
    );
    return this.#groupReady;
  }

  #undelivered(entry: RedisEntry): UndeliveredEvent {
    const event = decodeEvent(field(entry, 'event'));
    return {
      id: event.id,
      topic: entry.fields.get('topic'),
      event,
      attributes: decodeAttributes(field(entry, 'attributes')),
      attempts: Number(field(entry, 'attempts')),
      errors: decodeErrors(field(entry, 'errors')),
      enqueuedAt: new Date(Number(field(entry, 'enqueuedAt'))),
      failedAt: new Date(Number(field(entry, 'failedAt'))),
    };
  }

  #fields(
    record: Pick<ClaimedEvent, 'event' | 'topic' | 'attributes' | 'enqueuedAt'>,
    attempts: number,
    errors: readonly AttemptError[],
  ): string[] {
    return flatten({
      id: record.event.id,
      topic: record.topic,
      event: encodeEvent(record.event),
      attributes: JSON.stringify(record.attributes),
      enqueuedAt: String(record.enqueuedAt.getTime()),
      attempts: String(attempts),
      errors: JSON.stringify(errors),
    });
  }
}
