import { writeJson } from '@events-protocol/core';
import type { PublishedEvent } from '@events-protocol/publish';
import { OutboxError } from './outbox-error.js';
import { OutboxRelay } from './outbox-relay.js';
import type { OutboxRelayOptions } from './relay-options.js';
import type { ListUndeliveredOptions, OutboxStore, RedeliverSelection, UndeliveredPage } from './outbox-store.js';

/** Options of {@link Outbox.enqueue}; a store may add its own (the Postgres `client`). */
export interface OutboxEnqueueOptions {
  /** The topic the relay publishes the event under. */
  topic?: string;
  /** String attributes that travel with the event (headers over HTTP, fields in Redis). */
  attributes?: Readonly<Record<string, string>>;
  /** Aborts before the event is stored; once stored it stays stored. */
  signal?: AbortSignal;
}

/** How an {@link Outbox} is set up. */
export interface OutboxOptions<TEnqueueOptions extends object> {
  store: OutboxStore<TEnqueueOptions>;
  /** The clock, ms since the epoch; `Date.now` by default. */
  clock?: () => number;
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

  constructor(options: OutboxOptions<TEnqueueOptions>) {
    this.store = options.store;
    this.#clock = options.clock ?? Date.now;
  }

  /**
   * Stores `event` durably; resolves once it is stored. Enqueuing an id already stored does nothing.
   *
   * @throws {OutboxError} `INVALID_EVENT` for what is not a publishable event, `INVALID_OPTIONS`
   * for an empty topic or a non-string attribute, `ABORTED` when the
   * signal aborted first, `ENQUEUE_FAILED` (with the store's error as `cause`) when it was not stored.
   */
  async enqueue(event: PublishedEvent, options?: OutboxEnqueueOptions & TEnqueueOptions): Promise<void> {
    const { topic, attributes, signal, ...storeOptions } = options ?? ({} as OutboxEnqueueOptions);
    if (!isPublishedEvent(event)) {
      throw new OutboxError('INVALID_EVENT', 'an outbox event needs a non-empty id and name, and createdAt');
    }
    if (topic !== undefined && (typeof topic !== 'string' || topic.length === 0)) {
      throw new OutboxError('INVALID_OPTIONS', 'topic must be a non-empty string');
    }
    if (attributes !== undefined && Object.values(attributes).some((value) => typeof value !== 'string')) {
      throw new OutboxError('INVALID_OPTIONS', 'attribute values must be strings');
    }
    try {
      writeJson(event);
    } catch (error) {
      throw new OutboxError('INVALID_EVENT', 'the event cannot be written as JSON', { cause: error });
    }
    if (signal?.aborted === true) {
      throw new OutboxError('ABORTED', 'enqueue was aborted before the event was stored', { cause: signal.reason });
    }
    const entry = { event, topic, attributes: { ...attributes }, enqueuedAt: new Date(this.#clock()) };
    try {
      await this.store.enqueue(entry, storeOptions as TEnqueueOptions);
    } catch (error) {
      throw new OutboxError('ENQUEUE_FAILED', `the ${this.store.name} outbox could not store event ${event.id}`, {
        cause: error,
      });
    }
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
