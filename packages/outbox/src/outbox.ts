import type { PublishedEventContract, PublishedEventFields, PublishedPayloadInput } from '@events-protocol/core';
import { checkContractEvent, publishedEventOf, type PublishedEvent } from '@events-protocol/publish';
import { checkedByContract, entryOf, throwIfAborted, type OutboxDelivery, type OutboxItem } from './outbox-entry.js';
import { OutboxError } from './outbox-error.js';
import { OutboxRelay } from './outbox-relay.js';
import type { OutboxRelayOptions } from './relay-options.js';
import type {
  ListPendingOptions,
  ListUndeliveredOptions,
  OutboxEntry,
  OutboxStats,
  OutboxStore,
  Page,
  PendingEvent,
  RedeliverSelection,
  StoredEntry,
  UndeliveredEvent,
  UndeliveredPage,
} from './outbox-store.js';
import { failedAttempt } from './stored-record.js';

export type { OutboxDelivery, OutboxItem } from './outbox-entry.js';

/** Options of {@link Outbox.enqueue}; a store adds its own (PostgreSQL's `client`, SQLite's `database`). */
export interface OutboxEnqueueOptions extends OutboxDelivery {
  /** Aborts before the event is stored; once stored it stays stored. */
  signal?: AbortSignal | undefined;
}

/** Options of {@link Outbox.enqueueItems}, beside the store's own. */
export interface OutboxItemsOptions {
  /** Aborts before the entries are stored; once stored they stay stored. */
  signal?: AbortSignal | undefined;
}

/** The most entries {@link Outbox.enqueueMany} and {@link Outbox.enqueueItems} store in one transaction. */
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

/**
 * The durable outbox: `enqueue` stores an event (in the caller's transaction, where the store
 * takes one) before it resolves, a relay delivers it later, and the views list, show, redeliver
 * and purge entries. Nothing enqueued is lost: it is delivered, still pending, or undelivered and
 * listed here with every attempt.
 *
 * @example
 * import { SqliteOutboxStore } from '@events-protocol/outbox/sqlite';
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
   * Stores `event` durably; resolves once it is stored: `true` when stored now, `false` when an
   * entry with its id (the event id, or `id`) was stored before, and then nothing changes.
   *
   * @throws {OutboxError} `INVALID_EVENT` for what is not a publishable event, `INVALID_OPTIONS`
   * for a bad id, an empty topic, a non-string attribute or a bad schedule, `ABORTED` when the
   * signal aborted first, `ENQUEUE_FAILED` (with the store's error as `cause`) when it was not
   * stored: `retryable` when the cause is the store's `STORE_UNAVAILABLE` or `STORE_BUSY`
   * (enqueue the same event again).
   */
  async enqueue(event: PublishedEvent, options?: OutboxEnqueueOptions & TEnqueueOptions): Promise<boolean> {
    const { signal, id, topic, attributes, at, delayMs, orderingKey, ...storeOptions } =
      options ?? ({} as OutboxEnqueueOptions);
    checkedByContract(() => checkContractEvent(event));
    const entry = entryOf({ event, id, topic, attributes, at, delayMs, orderingKey }, this.#clock(), this.#keepAuth);
    throwIfAborted(signal);
    return this.#store(entry.id ?? event.id, () => this.store.enqueue(entry, storeOptions as TEnqueueOptions));
  }

  /**
   * Stores a contract's event as {@link enqueue} does, its payload validated by the contract
   * first; resolves to the event stored and whether it was new.
   *
   * @example
   * await outbox.enqueueEvent(orderPlaced, { orderId, total }, { topic: 'orders', client });
   * @throws {OutboxError} `INVALID_EVENT` when the payload does not match (nothing stored; the
   * cause is a `PublishError` with `issues`), or as {@link enqueue}.
   */
  async enqueueEvent<TContract extends PublishedEventContract>(
    contract: TContract,
    payload: PublishedPayloadInput<TContract>,
    options?: OutboxEnqueueOptions & TEnqueueOptions & { fields?: PublishedEventFields },
  ): Promise<{ event: PublishedEvent; stored: boolean }> {
    const { fields, ...enqueueOptions } = options ?? ({} as { fields?: PublishedEventFields });
    const event = checkedByContract(() => publishedEventOf(contract, payload, fields));
    return { event, stored: await this.enqueue(event, enqueueOptions as OutboxEnqueueOptions & TEnqueueOptions) };
  }

  /**
   * Stores several events in one transaction: all of them, or none when any cannot be stored.
   * Every event gets the same topic, attributes and schedule, and its own id as the key (use
   * {@link enqueueItems} for more). At most {@link maxBatchSize}. Resolves to one flag per event,
   * as {@link enqueue}'s.
   *
   * @throws {OutboxError} `BATCH_TOO_LARGE` (nothing stored), `INVALID_EVENT` naming the index of
   * the first bad event (nothing stored), `INVALID_OPTIONS` for an `id` (one key for every event),
   * or as {@link enqueue}.
   */
  async enqueueMany(
    events: readonly PublishedEvent[],
    options?: Omit<OutboxEnqueueOptions, 'id'> & TEnqueueOptions,
  ): Promise<boolean[]> {
    const { signal, topic, attributes, at, delayMs, ...storeOptions } = options ?? ({} as OutboxEnqueueOptions);
    if ('id' in storeOptions) {
      throw new OutboxError('INVALID_OPTIONS', 'enqueueMany gives every event one key: use enqueueItems for ids');
    }
    const items = events.map((event): OutboxItem => ({ event, topic, attributes, at, delayMs }));
    return this.enqueueItems(items, { signal, ...storeOptions } as OutboxItemsOptions & TEnqueueOptions);
  }

  /**
   * Stores several entries, each with its own id, topic, attributes and schedule, in one
   * transaction: all of them, or none. At most {@link maxBatchSize}. Resolves to one flag per
   * item, as {@link enqueue}'s.
   *
   * @throws {OutboxError} `BATCH_TOO_LARGE` (nothing stored), `INVALID_EVENT` or `INVALID_OPTIONS`
   * naming the index of the first bad item (nothing stored), or as {@link enqueue}.
   */
  async enqueueItems(items: readonly OutboxItem[], options?: OutboxItemsOptions & TEnqueueOptions): Promise<boolean[]> {
    if (items.length > maxBatchSize) {
      throw new OutboxError(
        'BATCH_TOO_LARGE',
        `a batch holds at most ${maxBatchSize} events, got ${items.length}: split it`,
      );
    }
    const { signal, ...storeOptions } = options ?? ({} as OutboxItemsOptions);
    const entries = this.#entriesOf(items);
    throwIfAborted(signal);
    const [first] = entries;
    if (first === undefined) return [];
    return this.#store(`batch of ${entries.length} (first ${first.id ?? first.event.id})`, () =>
      this.store.enqueueBatch(entries, storeOptions as TEnqueueOptions),
    );
  }

  /**
   * Checks items as {@link enqueueItems} does, storing nothing and with no size limit: for a
   * caller that stores more than {@link maxBatchSize} in several transactions and wants none of
   * them stored when any item is bad.
   *
   * @throws {OutboxError} `INVALID_EVENT` or `INVALID_OPTIONS` naming the index of the first bad item.
   */
  checkItems(items: readonly OutboxItem[]): void {
    this.#entriesOf(items);
  }

  #entriesOf(items: readonly OutboxItem[]): OutboxEntry[] {
    const now = this.#clock();
    return items.map((item, index) => {
      try {
        checkedByContract(() => checkContractEvent(item.event));
        return entryOf(item, now, this.#keepAuth);
      } catch (error) {
        if (!(error instanceof OutboxError)) throw error;
        throw new OutboxError(error.code, `event ${index} of the batch: ${error.message}`, { cause: error.cause });
      }
    });
  }

  /**
   * Stores an event straight as undelivered, with `error` as its one failed attempt: for a
   * publisher whose direct publish failed, so the event is kept for an operator, not lost.
   * Resolves as {@link enqueue}.
   *
   * @throws {OutboxError} as {@link enqueue}.
   */
  async storeUndelivered(
    event: PublishedEvent,
    error: unknown,
    options?: Omit<OutboxEnqueueOptions, 'at' | 'delayMs'> & TEnqueueOptions,
  ): Promise<boolean> {
    const { signal, id, topic, attributes, orderingKey, ...storeOptions } = options ?? ({} as OutboxEnqueueOptions);
    const now = this.#clock();
    const entry: OutboxEntry = {
      ...entryOf({ event, id, topic, attributes, orderingKey }, now, this.#keepAuth),
      failure: failedAttempt(error, 1, new Date(now)),
    };
    throwIfAborted(signal);
    return this.#store(entry.id ?? event.id, () => this.store.enqueue(entry, storeOptions as TEnqueueOptions));
  }

  async #store<T>(what: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw new OutboxError('ENQUEUE_FAILED', `the ${this.store.name} outbox could not store ${what}`, {
        cause: error,
      });
    }
  }

  /**
   * Cancels a stored entry no relay has claimed yet, typically a scheduled one before its time.
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

  /** How many entries wait for delivery. */
  pendingCount(): Promise<number> {
    return this.store.pendingCount();
  }

  /** Queue depth, claims, the oldest pending entry and the undelivered depth now, counted by the store. */
  stats(): Promise<OutboxStats> {
    return this.store.stats(new Date(this.#clock()));
  }

  /** Lists pending entries (due, scheduled, waiting for a retry, or claimed), oldest first, a page at a time. */
  listPending(options?: ListPendingOptions): Promise<Page<PendingEvent>> {
    return this.store.listPending(options);
  }

  /** Lists undelivered entries, oldest first by failure time, a page at a time. */
  listUndelivered(options?: ListUndeliveredOptions): Promise<UndeliveredPage> {
    return this.store.listUndelivered(options);
  }

  /** One entry in any state, with its attempt records; `undefined` when unknown. */
  getEntry(id: string): Promise<StoredEntry | undefined> {
    return this.store.getEntry(id);
  }

  /** One undelivered entry with its attempt records; `undefined` when unknown or not undelivered. */
  async getUndelivered(id: string): Promise<UndeliveredEvent | undefined> {
    const entry = await this.store.getEntry(id);
    return entry?.state === 'undelivered' && entry.failedAt !== undefined ? (entry as UndeliveredEvent) : undefined;
  }

  /**
   * Makes undelivered entries due again with fresh attempts: one or some by id, or all that match
   * a filter (`{}` for all). Resolves to how many.
   */
  redeliver(selection: RedeliverSelection): Promise<number> {
    return this.store.redeliver(selection, new Date(this.#clock()));
  }

  /** Deletes undelivered entries for good, by id or filter (`{}` for all); resolves to how many. */
  deleteUndelivered(selection: RedeliverSelection): Promise<number> {
    return this.store.deleteUndelivered(selection);
  }

  /**
   * Deletes delivered entries older than a date or a retention period; resolves to how many.
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

  /** A relay over this outbox's store and clock (not started). */
  relay(options: Omit<OutboxRelayOptions, 'store'>): OutboxRelay {
    return new OutboxRelay({ clock: this.#clock, ...options, store: this.store });
  }
}
