import { writeStrictJson } from '@events-protocol/core';
import { isPublishError, type PublishedEvent } from '@events-protocol/publish';
import { OutboxError } from './outbox-error.js';
import type { OutboxEntry } from './outbox-store.js';

/** The longest entry id the outbox takes, in characters. */
export const maxEntryIdLength = 200;

/** Where and when one entry is delivered: what every enqueue takes, per event or per item. */
export interface OutboxDelivery {
  /**
   * The entry's key, unique in the store: the event id by default. Give one to store the same
   * event more than once (one entry per destination), or to deduplicate by your own key.
   */
  id?: string | undefined;
  /** The topic the relay publishes the event under. */
  topic?: string | undefined;
  /** String attributes that travel with the event (headers over HTTP, fields in Redis). */
  attributes?: Readonly<Record<string, string>> | undefined;
  /** Deliver not before this time: the entry is stored now, and survives restarts until then. */
  at?: Date | undefined;
  /** Deliver not before this many ms from now (instead of `at`). */
  delayMs?: number | undefined;
  /**
   * Deliver after every earlier entry of this key is delivered or given up, one at a time, in
   * enqueue order (see {@link OutboxEntry.orderingKey}): a webhook subscription's id, an aggregate's.
   */
  orderingKey?: string | undefined;
}

/** One entry of {@link Outbox.enqueueItems}: an event with its own id, topic and schedule. */
export interface OutboxItem extends OutboxDelivery {
  event: PublishedEvent;
}

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

function invalid(message: string): OutboxError {
  return new OutboxError('INVALID_OPTIONS', message);
}

/** A payload its contract refuses is an `INVALID_EVENT` (the cause, a `PublishError`, holds the issues). */
export function checkedByContract<T>(make: () => T): T {
  try {
    return make();
  } catch (error) {
    throw isPublishError(error) ? new OutboxError('INVALID_EVENT', error.message, { cause: error }) : error;
  }
}

/**
 * Checks one item and makes the entry a store takes.
 *
 * @throws {OutboxError} `INVALID_EVENT` for what is not a publishable event or cannot be written as
 * JSON; `INVALID_OPTIONS` for a bad id, topic, attribute or schedule.
 */
export function entryOf(item: OutboxItem, now: number, keepAuth: boolean): OutboxEntry {
  const { event, id, topic, attributes, at, delayMs, orderingKey } = item;
  if (!isPublishedEvent(event)) {
    throw new OutboxError('INVALID_EVENT', 'an outbox event needs a non-empty id and name, and createdAt');
  }
  if (id !== undefined && (typeof id !== 'string' || id.length === 0 || id.length > maxEntryIdLength)) {
    throw invalid(`id must be a non-empty string of at most ${maxEntryIdLength} characters`);
  }
  if (
    orderingKey !== undefined &&
    (typeof orderingKey !== 'string' || orderingKey.length === 0 || orderingKey.length > maxEntryIdLength)
  ) {
    throw invalid(`orderingKey must be a non-empty string of at most ${maxEntryIdLength} characters`);
  }
  if (topic !== undefined && (typeof topic !== 'string' || topic.length === 0)) {
    throw invalid('topic must be a non-empty string');
  }
  if (attributes !== undefined && Object.values(attributes).some((value) => typeof value !== 'string')) {
    throw invalid('attribute values must be strings');
  }
  if (at !== undefined && delayMs !== undefined) throw invalid('give at or delayMs, not both');
  if (at !== undefined && !(at instanceof Date && Number.isFinite(at.getTime()))) {
    throw invalid('at must be a valid Date');
  }
  if (delayMs !== undefined && !(Number.isFinite(delayMs) && delayMs >= 0)) {
    throw invalid(`delayMs must be a finite number >= 0, got ${String(delayMs)}`);
  }
  try {
    // What JSON would drop or change is refused now, not stored changed or failed on later.
    writeStrictJson(event);
  } catch (error) {
    throw new OutboxError('INVALID_EVENT', `the event cannot be written as JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const entry: OutboxEntry = {
    event: keepAuth ? event : { ...event, auth: {} },
    topic,
    attributes: { ...attributes },
    enqueuedAt: new Date(now),
    availableAt: at ?? (delayMs === undefined ? undefined : new Date(now + delayMs)),
  };
  if (id !== undefined) entry.id = id;
  if (orderingKey !== undefined) entry.orderingKey = orderingKey;
  return entry;
}

/**
 * Refuses to go on once the caller's signal aborted.
 *
 * @throws {OutboxError} `ABORTED` with the signal's reason as `cause`.
 */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) {
    throw new OutboxError('ABORTED', 'enqueue was aborted before the event was stored', { cause: signal.reason });
  }
}
