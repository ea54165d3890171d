import { writeStrictJson } from '@events-protocol/core';
import type { PublishedEvent } from '@events-protocol/publish';
import { OutboxError } from './outbox-error.js';
import { OutboxRelay } from './outbox-relay.js';
import type { OutboxRelayOptions } from './relay-options.js';
import type {
  ListUndeliveredOptions,
  OutboxEntry,
  OutboxStore,
  RedeliverSelection,
  UndeliveredEvent,
  UndeliveredPage,
} from './outbox-store.js';
import { describeAttemptError } from './stored-record.js';

/** Options of {@link Outbox.enqueue}; a store may add its own (the Postgres `client`). */
export interface OutboxEnqueueOptions {
  /** The topic the relay publishes the event under. */
  topic?: string;
  /** String attributes that travel with the event (headers over HTTP, fields in Redis). */
  attributes?: Readonly<Record<string, string>>;
  /** Aborts before the event is stored; once stored it stays stored. */
  signal?: AbortSignal;
  /** Deliver not before this time: the event is stored now, and survives restarts until then. */
  at?: Date;
  /** Deliver not before this many ms from now (instead of `at`). */
  delayMs?: number;
}

/** The most events {@link Outbox.enqueueMany} stores in one transaction. */
export const maxBatchSize = 1000;

/** How an {@link Outbox} is set up. */
export interface OutboxOptions<TEnqueueOptions extends object> {
  store: OutboxStore<TEnqueueOptions>;
  /** The clock, ms since the epoch; `Date.now` by default. */
  clock?: () => number;
  /**
   * Store each event's `auth` (credentials). Off by default: the store is outside the process, and
   * no sink but an `EventsProtocolSink` with `forwardAuth` sends `auth`, so events are stored with
   * `auth: {}`. `throughQueue` turns it on for such a sink.
   */
  keepAuth?: boolean;
}

/** What {@link Outbox.purgeDelivered} removes: delivered before a date, or longer ago than a retention. */
export type PurgeSelection = { olderThan: Date } | { retentionMs: number };

function isPublishedEvent(value: unknown): value is PublishedEvent {
  if (typeof value !== 'object' || value === null) return false;
  const event = value as Partial<Record<keyof PublishedEvent, unknown>>;
  return (
    typeof event.id === 'string' &&
    event.id.length > 0 &&
    typeof event.name === 'string' &&
    event.name.length > 0 &&
    typeof event.createdAt === 'string'
  );
}

/**
 * The durable outbox: `enqueue` stores an event before it resolves, a relay delivers it later,
 * and the operations list, redeliver and purge what the relay left behind. Nothing enqueued is
 * lost: it is delivered, still pending, or undelivered and listed here.
 *
 * @example
 * const outbox = new Outbox({ store: new SqliteOutboxStore({ filename: 'outbox.db' }) });
 * await outbox.enqueue(event, { topic: 'orders' });
 * const relay = outbox.relay({ sink });
 * relay.start();
 */
export class Outbox<TEnqueueOptions extends object = object> {
  readonly store: OutboxStore<TEnqueueOptions>;
  readonly #clock: () => number;
  readonly #keepAuth: boolean;

  constructor(options: OutboxOptions<TEnqueueOptions>) {
    this.store = options.store;
    this.#clock = options.clock ?? Date.now;
    this.#keepAuth = options.keepAuth === true;
  }

  /**
   * Stores `event` durably; resolves once it is stored. Enqueuing an id already stored does nothing.
   *
   * @throws {OutboxError} `INVALID_EVENT` for what is not a publishable event, `INVALID_OPTIONS`
   * for an empty topic or a non-string attribute, `ABORTED` when the
   * signal aborted first, `ENQUEUE_FAILED` (with the store's error as `cause`) when it was not stored:
   * `retryable` when the cause is the store's `STORE_UNAVAILABLE` or `STORE_BUSY` (enqueue the same
   * event again).
   */
  async enqueue(event: PublishedEvent, options?: OutboxEnqueueOptions & TEnqueueOptions): Promise<void> {
    const { entry, storeOptions } = this.#entry(event, options);
    await this.#store(event.id, () => this.store.enqueue(entry, storeOptions));
  }

  /**
   * Stores several events in one transaction: all of them, or none when any cannot be stored.
   * Every event gets the same topic, attributes and schedule. At most {@link maxBatchSize}.
   *
   * @throws {OutboxError} `BATCH_TOO_LARGE` (nothing stored), `INVALID_EVENT` naming the index of
   * the first bad event (nothing stored), or as {@link enqueue}.
   */
  async enqueueMany(
    events: readonly PublishedEvent[],
    options?: OutboxEnqueueOptions & TEnqueueOptions,
  ): Promise<void> {
    if (events.length > maxBatchSize) {
      throw new OutboxError(
        'BATCH_TOO_LARGE',
        `a batch holds at most ${maxBatchSize} events, got ${events.length}: split it`,
      );
    }
    let storeOptions: TEnqueueOptions | undefined;
    const entries = events.map((event, index) => {
      try {
        const made = this.#entry(event, options);
        storeOptions = made.storeOptions;
        return made.entry;
      } catch (error) {
        if (!(error instanceof OutboxError)) throw error;
        throw new OutboxError(error.code, `event ${index} of the batch: ${error.message}`, { cause: error.cause });
      }
    });
    if (entries.length === 0) return;
    await this.#store(`batch of ${entries.length} (first ${events[0]?.id ?? ''})`, () =>
      this.store.enqueueBatch(entries, storeOptions),
    );
  }

  /**
   * Stores an event straight as undelivered, with `error` as its one failed attempt: for a
   * publisher whose direct publish failed, so the event is kept for an operator, not lost.
   */
  async storeUndelivered(
    event: PublishedEvent,
    error: unknown,
    options?: Omit<OutboxEnqueueOptions, 'at' | 'delayMs'> & TEnqueueOptions,
  ): Promise<void> {
    const { entry, storeOptions } = this.#entry(event, options);
    const failure = describeAttemptError(error, 1, new Date(this.#clock()));
    await this.#store(event.id, () => this.store.enqueue({ ...entry, failure }, storeOptions));
  }

  /**
   * Cancels a stored event no relay has claimed yet, typically a scheduled one before its time.
   * Resolves `true` when it was removed and will never be delivered, `false` when it is unknown or
   * already on its way.
   */
  cancel(id: string): Promise<boolean> {
    return this.store.cancel(id);
  }

  /** Creates the store's tables, stream or consumer group when missing; resolves to what it created. */
  setup(): Promise<string[]> {
    return this.store.setup();
  }

  #entry(
    event: PublishedEvent,
    options: (OutboxEnqueueOptions & TEnqueueOptions) | undefined,
  ): { entry: OutboxEntry; storeOptions: TEnqueueOptions } {
    const { topic, attributes, signal, at, delayMs, ...storeOptions } = options ?? ({} as OutboxEnqueueOptions);
    if (!isPublishedEvent(event)) {
      throw new OutboxError('INVALID_EVENT', 'an outbox event needs a non-empty id and name, and createdAt');
    }
    if (topic !== undefined && (typeof topic !== 'string' || topic.length === 0)) {
      throw new OutboxError('INVALID_OPTIONS', 'topic must be a non-empty string');
    }
    if (attributes !== undefined && Object.values(attributes).some((value) => typeof value !== 'string')) {
      throw new OutboxError('INVALID_OPTIONS', 'attribute values must be strings');
    }
    if (at !== undefined && delayMs !== undefined)
      throw new OutboxError('INVALID_OPTIONS', 'give at or delayMs, not both');
    if (at !== undefined && !(at instanceof Date && Number.isFinite(at.getTime()))) {
      throw new OutboxError('INVALID_OPTIONS', 'at must be a valid Date');
    }
    if (delayMs !== undefined && !(Number.isFinite(delayMs) && delayMs >= 0)) {
      throw new OutboxError('INVALID_OPTIONS', `delayMs must be a finite number >= 0, got ${String(delayMs)}`);
    }
    try {
      // What JSON would drop or change is refused now, not stored changed or failed on later.
      writeStrictJson(event);
    } catch (error) {
      throw new OutboxError('INVALID_EVENT', `the event cannot be written as JSON: ${(error as Error).message}`, {
        cause: error,
      });
    }
    if (signal?.aborted === true) {
      throw new OutboxError('ABORTED', 'enqueue was aborted before the event was stored', { cause: signal.reason });
    }
    const now = this.#clock();
    const availableAt = at ?? (delayMs === undefined ? undefined : new Date(now + delayMs));
    return {
      entry: {
        event: this.#keepAuth ? event : { ...event, auth: {} },
        topic,
        attributes: { ...attributes },
        enqueuedAt: new Date(now),
        availableAt,
      },
      storeOptions: storeOptions as TEnqueueOptions,
    };
  }

  async #store(what: string, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      throw new OutboxError('ENQUEUE_FAILED', `the ${this.store.name} outbox could not store ${what}`, {
        cause: error,
      });
    }
  }

  /** One undelivered event with every attempt's error, for an operator to inspect; `undefined` when unknown. */
  getUndelivered(id: string): Promise<UndeliveredEvent | undefined> {
    return this.store.getUndelivered(id);
  }

  /** Deletes undelivered events for good, by id or filter (`{}` for all); resolves to how many. */
  deleteUndelivered(selection: RedeliverSelection): Promise<number> {
    return this.store.deleteUndelivered(selection);
  }

  /** Lists undelivered events, oldest first, a page at a time. */
  listUndelivered(options?: ListUndeliveredOptions): Promise<UndeliveredPage> {
    return this.store.listUndelivered(options);
  }

  /**
   * Makes undelivered events due again with fresh attempts: one or some by id, or all that match
   * a filter (`{}` for all). Resolves to how many.
   */
  redeliver(selection: RedeliverSelection): Promise<number> {
    return this.store.redeliver(selection, new Date(this.#clock()));
  }

  /**
   * Deletes delivered events older than a date or a retention period; resolves to how many.
   *
   * @throws {OutboxError} `INVALID_OPTIONS` for a negative or non-finite retention.
   */
  async purgeDelivered(selection: PurgeSelection): Promise<number> {
    if ('olderThan' in selection) return this.store.purgeDelivered(selection.olderThan);
    if (!Number.isFinite(selection.retentionMs) || selection.retentionMs < 0) {
      throw new OutboxError(
        'INVALID_OPTIONS',
        `retentionMs must be a finite number >= 0, got ${selection.retentionMs}`,
      );
    }
    return this.store.purgeDelivered(new Date(this.#clock() - selection.retentionMs));
  }

  /** How many events wait for delivery. */
  pendingCount(): Promise<number> {
    return this.store.pendingCount();
  }

  /** A relay over this outbox's store and clock (not started). */
  relay(options: Omit<OutboxRelayOptions, 'store'>): OutboxRelay {
    return new OutboxRelay({ clock: this.#clock, ...options, store: this.store });
  }
}
