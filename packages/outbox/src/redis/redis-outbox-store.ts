import { Redis, type RedisOptions } from 'ioredis';
import { silentOutboxLogger, type OutboxLogger } from '../outbox-logger.js';
import type {
  ClaimOptions,
  ClaimedEvent,
  ListPendingOptions,
  ListUndeliveredOptions,
  OutboxEntry,
  OutboxStats,
  OutboxStore,
  Page,
  PendingEvent,
  RedeliverSelection,
  Settlement,
  StoredEntry,
  UndeliveredPage,
} from '../outbox-store.js';
import { entryIdOf } from '../stored-record.js';
import { claimRedisEntries } from './redis-claim.js';
import { guardRedis } from './redis-connection.js';
import { malformed } from './redis-entry.js';
import { legacyRedisKeys, redisOutboxKeys, scriptKeys, type RedisOutboxKeys } from './redis-keys.js';
import { adoptLegacyStream, upgradeLegacyLayout, type LegacyLayoutTarget } from './redis-legacy-layout.js';
import { entryFields, readStoredEntry } from './redis-record.js';
import {
  cancelScript,
  deleteUndeliveredScript,
  enqueueScript,
  entryScript,
  purgeScript,
  redeliverScript,
  settleScript,
} from './redis-scripts.js';
import { actOnUndelivered, listPendingPage, listUndeliveredPage } from './redis-views.js';
import { redisStats } from './redis-stats.js';
import { RedisWakeListener } from './redis-wake-listener.js';

/** How a {@link RedisOutboxStore} connects and names its keys. */
export interface RedisOutboxStoreOptions {
  /** An ioredis client (not closed by the store) or a `redis://` URL (the store owns that connection). */
  redis: Redis | string;
  /** The prefix of every key of this outbox (`<prefix>:events`, `<prefix>:entry:<id>`, …); `outbox` by default. */
  prefix?: string;
  /** The consumer group all relays share, `relays` by default. */
  group?: string;
  /**
   * Extra ioredis options when the store opens its own connection from a URL. By default a
   * command waits through at most 2 reconnects (`maxRetriesPerRequest: 2`) before it fails with
   * `STORE_UNAVAILABLE`.
   */
  redisOptions?: RedisOptions;
  /** Where the store reports its own connections' errors (at `warn`); silent by default. */
  logger?: OutboxLogger;
}

const purgeChunk = 1000;

function readFlags(reply: unknown, count: number): boolean[] {
  if (!Array.isArray(reply) || reply.length !== count) throw malformed(`expected ${count} results`);
  return (reply as unknown[]).map((flag) => flag === 1);
}

/**
 * Redis as a distributed outbox: each entry is a hash with its attempt records beside it; due
 * entries go through one stream that relays on many machines read through a consumer group, so a
 * claim is a pending stream entry, and a relay that dies leaves its claims to be taken over once
 * idle past the lease. Every state change, for a whole batch, is one Lua script: one round trip.
 * Enqueues wake waiting relays anywhere through a short wake list. Durability is Redis's: run it
 * with `appendonly yes` (and `appendfsync always` to lose nothing on a power cut).
 *
 * Data of the previous layout (entries kept whole in the stream) is converted on first use.
 *
 * @example
 * const store = new RedisOutboxStore({ redis: 'redis://127.0.0.1:6379', prefix: 'orders-outbox' });
 */
export class RedisOutboxStore implements OutboxStore {
  readonly name = 'redis';
  readonly #client: Redis;
  readonly #redis: Redis;
  readonly #owns: boolean;
  readonly #group: string;
  readonly #keys: RedisOutboxKeys;
  readonly #scriptKeys: string[];
  readonly #legacy: LegacyLayoutTarget;
  readonly #logger: OutboxLogger;
  readonly #wake: RedisWakeListener;
  #ready: Promise<string[]> | undefined;

  constructor(options: RedisOutboxStoreOptions) {
    this.#owns = typeof options.redis === 'string';
    this.#logger = options.logger ?? silentOutboxLogger();
    this.#client =
      typeof options.redis === 'string'
        ? new Redis(options.redis, { maxRetriesPerRequest: 2, ...options.redisOptions })
        : options.redis;
    // Connection errors surface as rejected calls (STORE_UNAVAILABLE, and a relay's logged store
    // failures), and as warnings of the store's logger: never as process noise. A client passed
    // in is its owner's to listen to.
    if (this.#owns) this.#listen(this.#client);
    this.#redis = guardRedis(this.#client);
    this.#group = options.group ?? 'relays';
    this.#keys = redisOutboxKeys(options.prefix ?? 'outbox');
    this.#scriptKeys = scriptKeys(this.#keys);
    this.#legacy = {
      redis: this.#redis,
      keys: this.#keys,
      legacy: legacyRedisKeys(this.#keys.prefix),
      group: this.#group,
    };
    this.#wake = new RedisWakeListener(() => this.#listen(this.#client.duplicate()), this.#keys.wake);
  }

  /** An id stored before (pending, undelivered, or delivered and not purged) is left alone: `false`. */
  async enqueue(entry: OutboxEntry): Promise<boolean> {
    const [stored] = await this.enqueueBatch([entry]);
    return stored === true;
  }

  /** One script stores the whole batch, so it is stored entirely or not at all. */
  async enqueueBatch(entries: readonly OutboxEntry[]): Promise<boolean[]> {
    if (entries.length === 0) return [];
    // Everything is encoded before anything is sent: an event that cannot be written stores nothing.
    const args = entries.flatMap((entry) => enqueueArguments(entry));
    await this.#prepare();
    const reply = await this.#run(enqueueScript, [entries.length, ...args]);
    return readFlags(reply, entries.length);
  }

  async cancel(id: string): Promise<boolean> {
    await this.#prepare();
    return (await this.#run(cancelScript, [id])) === 1;
  }

  async claim(options: ClaimOptions): Promise<ClaimedEvent[]> {
    await this.#prepare();
    let result;
    try {
      result = await claimRedisEntries(this.#redis, this.#keys, this.#group, options);
    } catch (error) {
      // The group is gone (a Redis restarted without persistence): create it and claim again.
      if (!(error instanceof Error && /NOGROUP/.test(error.message))) throw error;
      this.#ready = undefined;
      await this.#prepare();
      result = await claimRedisEntries(this.#redis, this.#keys, this.#group, options);
    }
    // Producers of the previous layout still write whole records: convert them for the next claim.
    if (result.legacySeen) await adoptLegacyStream(this.#legacy, options.now);
    return result.claimed;
  }

  /** Every settlement of the batch in one script: one round trip. */
  async settle(settlements: readonly Settlement[], now: Date): Promise<boolean[]> {
    if (settlements.length === 0) return [];
    const args = settlements.flatMap((settlement) => [
      settlement.claimed.id,
      settlement.claimed.receipt,
      settlement.next,
      String(settlement.next === 'retry' ? settlement.nextAttemptAt.getTime() : now.getTime()),
      JSON.stringify(settlement.attempt),
    ]);
    return readFlags(await this.#run(settleScript, args), settlements.length);
  }

  /** Woken by an enqueue or redelivery through any store of this prefix, in any process. */
  waitForEntries(timeoutMs: number, signal: AbortSignal): Promise<void> {
    return this.#wake.wait(timeoutMs, signal);
  }

  async listPending(options: ListPendingOptions = {}): Promise<Page<PendingEvent>> {
    await this.#prepare();
    return listPendingPage(this.#redis, this.#keys, options);
  }

  async listUndelivered(options: ListUndeliveredOptions = {}): Promise<UndeliveredPage> {
    await this.#prepare();
    return listUndeliveredPage(this.#redis, this.#keys, options);
  }

  async getEntry(id: string): Promise<StoredEntry | undefined> {
    await this.#prepare();
    const reply = await this.#run(entryScript, [id]);
    const [hash, history] = Array.isArray(reply) ? (reply as unknown[]) : [];
    // Unknown, or delivered by the previous layout, which kept only the id.
    if (Array.isArray(hash) && (hash.length === 0 || hash.includes('tombstone'))) return undefined;
    return readStoredEntry(id, hash, history);
  }

  async redeliver(selection: RedeliverSelection, now: Date): Promise<number> {
    await this.#prepare();
    return actOnUndelivered(this.#redis, this.#keys, selection, async (ids) =>
      Number(await this.#run(redeliverScript, [now.getTime(), ...ids])),
    );
  }

  async deleteUndelivered(selection: RedeliverSelection): Promise<number> {
    await this.#prepare();
    return actOnUndelivered(this.#redis, this.#keys, selection, async (ids) =>
      Number(await this.#run(deleteUndeliveredScript, ids)),
    );
  }

  async purgeDelivered(olderThan: Date): Promise<number> {
    let count = 0;
    for (;;) {
      const purged = Number(await this.#run(purgeScript, [olderThan.getTime(), purgeChunk]));
      count += purged;
      if (purged < purgeChunk) return count;
    }
  }

  async pendingCount(): Promise<number> {
    await this.#prepare();
    return await this.#redis.zcard(this.#keys.pending);
  }

  /** One read-only script over the indexes (one round trip); see {@link OutboxStore.stats}. */
  async stats(now: Date): Promise<OutboxStats> {
    await this.#prepare();
    return redisStats(this.#redis, this.#keys, this.#group, now);
  }

  /**
   * Creates the stream and the relays' consumer group when missing, converts data of the
   * previous layout, and names what it did.
   */
  async setup(): Promise<string[]> {
    this.#ready = undefined;
    return this.#prepare();
  }

  async healthCheck(): Promise<boolean> {
    try {
      await this.#redis.ping();
      return true;
    } catch {
      return false;
    }
  }

  /** Ends waits, closes the wake-up connection, and the main one when the store opened it. */
  async close(): Promise<void> {
    this.#wake.close();
    if (!this.#owns || this.#client.status === 'end') return;
    if (this.#client.status === 'ready') await this.#client.quit();
    else this.#client.disconnect();
  }

  #run(script: typeof settleScript, args: readonly (string | number)[]): Promise<unknown> {
    return script.run(this.#redis, this.#scriptKeys, [this.#keys.prefix, this.#group, ...args]);
  }

  #listen(client: Redis): Redis {
    client.on('error', (error: unknown) =>
      this.#logger.warn({ err: error, store: this.name }, 'outbox store lost a Redis connection'),
    );
    return client;
  }

  /** Once per store (again after a failure): the consumer group, and the previous layout's data converted. */
  #prepare(): Promise<string[]> {
    this.#ready ??= this.#createGroup()
      .then(async (created) => [...created, ...(await upgradeLegacyLayout(this.#legacy, new Date()))])
      .catch((error: unknown) => {
        this.#ready = undefined;
        throw error;
      });
    return this.#ready;
  }

  async #createGroup(): Promise<string[]> {
    const existed = (await this.#redis.exists(this.#keys.events)) === 1;
    try {
      await this.#redis.call('XGROUP', ['CREATE', this.#keys.events, this.#group, '0', 'MKSTREAM']);
    } catch (error) {
      if (!(error instanceof Error && error.message.startsWith('BUSYGROUP'))) throw error;
      return [];
    }
    return [
      ...(existed ? [] : [`stream ${this.#keys.events}`]),
      `consumer group ${this.#group} on ${this.#keys.events}`,
    ];
  }
}

/** An entry as arguments of the enqueue script (see `enqueueScript`). */
function enqueueArguments(entry: OutboxEntry): string[] {
  const id = entryIdOf(entry);
  const fields = entryFields(entry);
  if (entry.failure !== undefined) {
    const failedAt = String(Date.parse(entry.failure.at));
    return [id, 'undelivered', failedAt, String(fields.length), ...fields, JSON.stringify(entry.failure)];
  }
  const enqueuedAt = entry.enqueuedAt.getTime();
  const availableAt = entry.availableAt?.getTime();
  const scheduled = availableAt !== undefined && availableAt > enqueuedAt;
  const at = String(scheduled ? availableAt : enqueuedAt);
  return [id, scheduled ? 'scheduled' : 'due', at, String(fields.length), ...fields, ''];
}
