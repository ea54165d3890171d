import { writeJson } from '@events-protocol/core';
import { ServerError, ServerErrorCode } from '../server-error.js';
import { headersFromRecord } from '../transport-info.js';
import { pause } from './pause.js';
import { autoClaimReply, deliveryCountOf, entryTime, readGroupEntries } from './redis-stream-reply.js';
import type { RedisStreamEntry } from './redis-stream-reply.js';
import type { DeadLetter, StreamMessage, StreamSource } from './stream-source.js';

/**
 * The one Redis method the source needs, as ioredis offers it (`redis.call('XACK', …)`): pass your
 * client, the server package depends on no Redis library. Give the source a connection of its own
 * or one shared with short commands: it sends no blocking command.
 */
export interface StreamRedisClient {
  call(command: string, ...args: (string | number)[]): Promise<unknown>;
}

/** Where a {@link RedisStreamSource} reads and how. */
export interface RedisStreamSourceOptions {
  /** The stream, e.g. `events:orders` (the `RedisStreamSink`'s `events:<topic>`). */
  stream: string;
  /** The consumer group: consumers of one group share the stream's messages. */
  group: string;
  /** This consumer's name in the group; a new random one by default (a restarted process is a new consumer). */
  consumer?: string;
  /** How long a delivered message stays this consumer's before another may claim it, in ms; 30 s by default. */
  leaseMs?: number;
  /** Where dead letters go; `<stream>:dead` by default. */
  deadLetterStream?: string;
  /** Where a new group starts: `0` (every entry the stream holds, the default) or `$` (only new ones). */
  startAt?: '0' | '$';
  /** How long to wait before asking again when the stream had nothing, in ms; 100 by default. */
  pollIntervalMs?: number;
}

// Moves a message to the dead-letter stream and settles it in one step, so a crash leaves it in one place.
const deadLetterScript = `local id = redis.call('XADD', KEYS[2], '*', unpack(ARGV, 3))
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
redis.call('HDEL', KEYS[3], ARGV[2])
return id`;

const bodyFields: ReadonlySet<string> = new Set(['event', 'cloud_event']);

/**
 * A {@link StreamSource} over a Redis Streams consumer group: `XREADGROUP` for new entries, `XACK`
 * once handled, and `XAUTOCLAIM` of entries pending past the lease, so the messages of a consumer
 * that died (`kill -9`) are delivered again, their delivery count (the attempt) raised. A retry
 * leaves the entry pending and makes it claimable after the delay; a dead letter is `XADD`ed to
 * `<stream>:dead` with the entry's fields and `dead:reason`, `dead:attempts`, `dead:answer`,
 * `dead:entry`, then acknowledged, atomically. Reads entries of the `RedisStreamSink` in both
 * layouts (`event` and `cloud_event` fields); other fields are the message's headers. In Redis
 * Cluster, put the stream names in one hash slot (`{orders}`, `{orders}:dead`).
 */
export class RedisStreamSource implements StreamSource {
  readonly name: string;
  readonly leaseMs: number;
  readonly stream: string;
  readonly group: string;
  readonly consumer: string;
  readonly deadLetterStream: string;
  readonly #redis: StreamRedisClient;
  readonly #retryAtKey: string;
  readonly #startAt: string;
  readonly #pollIntervalMs: number;
  readonly #fields = new WeakMap<StreamMessage, readonly string[]>();
  #groupReady = false;
  #claimCursor = '0-0';
  #nextClaimAt = 0;

  /** @throws {ServerError} `INVALID_OPTIONS` for an empty stream or group, or a lease that is no positive integer. */
  constructor(redis: StreamRedisClient, options: RedisStreamSourceOptions) {
    if (options.stream === '' || options.group === '') {
      throw new ServerError(ServerErrorCode.InvalidOptions, 'RedisStreamSource needs a stream and a group');
    }
    const leaseMs = options.leaseMs ?? 30_000;
    if (!Number.isSafeInteger(leaseMs) || leaseMs < 1) {
      throw new ServerError(ServerErrorCode.InvalidOptions, `leaseMs must be a positive integer, got ${leaseMs}`);
    }
    this.#redis = redis;
    this.stream = options.stream;
    this.group = options.group;
    this.consumer = options.consumer ?? `consumer-${crypto.randomUUID()}`;
    this.leaseMs = leaseMs;
    this.deadLetterStream = options.deadLetterStream ?? `${options.stream}:dead`;
    this.#retryAtKey = `${options.stream}:${options.group}:retry-at`;
    this.#startAt = options.startAt ?? '0';
    this.#pollIntervalMs = options.pollIntervalMs ?? 100;
    this.name = `redis:${options.stream}`;
  }

  async *pull(max: number, signal: AbortSignal): AsyncGenerator<StreamMessage> {
    await this.#ensureGroup();
    const messages = await this.#reclaim(max);
    if (messages.length < max && !signal.aborted) {
      const reply = await this.#redis.call(
        'XREADGROUP',
        ...['GROUP', this.group, this.consumer, 'COUNT', max - messages.length, 'STREAMS', this.stream, '>'],
      );
      for (const entry of readGroupEntries(reply)) messages.push(this.#message(entry, 1));
    }
    if (messages.length === 0) await pause(this.#pollIntervalMs, signal);
    yield* messages;
  }

  async ack(message: StreamMessage): Promise<void> {
    await this.#redis.call('XACK', this.stream, this.group, message.id);
    if (message.attempt > 1) await this.#redis.call('HDEL', this.#retryAtKey, message.id);
  }

  async retry(message: StreamMessage, delayMs: number): Promise<void> {
    // Pending entries become claimable once idle for the lease: make this one so after the delay.
    const idle = this.leaseMs - Math.min(delayMs, this.leaseMs);
    await this.#redis.call('XCLAIM', this.stream, this.group, this.consumer, 0, message.id, 'IDLE', idle, 'JUSTID');
    if (delayMs > this.leaseMs) await this.#redis.call('HSET', this.#retryAtKey, message.id, Date.now() + delayMs);
  }

  async deadLetter(message: StreamMessage, letter: DeadLetter): Promise<void> {
    const fields = [
      ...(this.#fields.get(message) ?? ['event', message.body]),
      ...['dead:reason', letter.reason, 'dead:attempts', String(letter.attempts), 'dead:entry', message.id],
      ...(letter.answer === undefined ? [] : ['dead:answer', writeJson(letter.answer)]),
    ];
    await this.#redis.call(
      'EVAL',
      ...[deadLetterScript, 3, this.stream, this.deadLetterStream, this.#retryAtKey, this.group, message.id],
      ...fields,
    );
  }

  async #ensureGroup(): Promise<void> {
    if (this.#groupReady) return;
    try {
      await this.#redis.call('XGROUP', 'CREATE', this.stream, this.group, this.#startAt, 'MKSTREAM');
    } catch (error) {
      if (!String(error).includes('BUSYGROUP')) throw error;
    }
    this.#groupReady = true;
  }

  /** Entries pending past the lease (other consumers' that died, or retries now due), claimed for this one. */
  async #reclaim(max: number): Promise<StreamMessage[]> {
    const now = Date.now();
    if (now < this.#nextClaimAt) return [];
    const reply = await this.#redis.call(
      'XAUTOCLAIM',
      ...[this.stream, this.group, this.consumer, this.leaseMs, this.#claimCursor, 'COUNT', max],
    );
    const { cursor, entries } = autoClaimReply(reply);
    this.#claimCursor = cursor;
    // A full scan found nothing more: look again in a while, not on every pull.
    if (cursor === '0-0') this.#nextClaimAt = now + Math.min(1000, Math.ceil(this.leaseMs / 4));
    if (entries.length === 0) return [];
    const ids = entries.map((entry) => entry.id);
    const [counts, due] = await Promise.all([
      Promise.all(ids.map((id) => this.#redis.call('XPENDING', this.stream, this.group, id, id, 1))),
      this.#redis.call('HMGET', this.#retryAtKey, ...ids),
    ]);
    const messages: StreamMessage[] = [];
    for (const [index, entry] of entries.entries()) {
      const count = deliveryCountOf(counts[index]);
      const dueAt = Number((Array.isArray(due) ? (due as unknown[])[index] : null) ?? 0);
      if (dueAt > now) await this.#putBack(entry.id, dueAt - now, count - 1);
      else messages.push(this.#message(entry, count));
    }
    return messages;
  }

  /** A retry claimed before its time: pending again, as idle as its remaining delay allows, its count kept. */
  async #putBack(id: string, remainingMs: number, count: number): Promise<void> {
    const idle = this.leaseMs - Math.min(remainingMs, this.leaseMs);
    await this.#redis.call(
      'XCLAIM',
      ...[this.stream, this.group, this.consumer, 0, id, 'IDLE', idle, 'RETRYCOUNT', count, 'JUSTID'],
    );
  }

  #message(entry: RedisStreamEntry, attempt: number): StreamMessage {
    const headers: Record<string, string> = {};
    let body = '';
    for (let index = 0; index + 1 < entry.fields.length; index += 2) {
      const name = entry.fields[index] as string;
      const value = entry.fields[index + 1] as string;
      if (bodyFields.has(name)) body = value;
      else headers[name.toLowerCase()] = value;
    }
    const message: StreamMessage = {
      id: entry.id,
      body,
      headers: headersFromRecord(headers),
      subject: this.stream,
      attempt,
      storedAt: entryTime(entry.id),
    };
    this.#fields.set(message, entry.fields);
    return message;
  }
}
