import type { PublishedEvent } from '@events-protocol/publish';

/** Why one delivery attempt failed, as kept for operators. */
export interface AttemptError {
  /** The attempt that failed, 1-based. */
  attempt: number;
  /** When it failed, as an ISO-8601 timestamp. */
  at: string;
  /** The error's message. */
  message: string;
  /** The error's class name, when it had one. */
  name?: string;
  /** The error's stable `code`, when it had one (e.g. `UND_ERR_CONNECT_TIMEOUT`). */
  code?: string;
}

/** An event as `enqueue` hands it to a store. */
export interface OutboxEntry {
  event: PublishedEvent;
  topic: string | undefined;
  attributes: Readonly<Record<string, string>>;
  enqueuedAt: Date;
  /** Not claimed before this time (a scheduled publish); due at once when absent. */
  availableAt?: Date | undefined;
  /**
   * Stores the event straight as undelivered, with this error as its one attempt: what a
   * publisher does when the direct publish failed and no relay should retry blindly.
   */
  failure?: AttemptError | undefined;
}

/** An event a relay claimed for one delivery attempt; pass it back to exactly one `mark…` call. */
export interface ClaimedEvent {
  /** The store's handle of this claim (a lease token or a stream entry id); opaque to callers. */
  receipt: string;
  event: PublishedEvent;
  topic: string | undefined;
  attributes: Readonly<Record<string, string>>;
  /** The number of this attempt, 1-based; interrupted attempts count. */
  attempt: number;
  /** The errors of earlier attempts. */
  errors: readonly AttemptError[];
  enqueuedAt: Date;
}

/** An event that exhausted its attempts, with everything an operator needs to act on it. */
export interface UndeliveredEvent {
  /** The event id, the key for {@link OutboxStore.redeliver}. */
  id: string;
  topic: string | undefined;
  event: PublishedEvent;
  attributes: Readonly<Record<string, string>>;
  attempts: number;
  /** The error of every attempt, oldest first. */
  errors: readonly AttemptError[];
  enqueuedAt: Date;
  /** When the last attempt failed and the event became undelivered. */
  failedAt: Date;
}

/** Selects undelivered events by topic and by when they failed (`since` inclusive, `until` exclusive). */
export interface UndeliveredFilter {
  topic?: string;
  since?: Date;
  until?: Date;
}

/** A page request for {@link OutboxStore.listUndelivered}. */
export interface ListUndeliveredOptions extends UndeliveredFilter {
  /** At most this many events (100 by default). */
  limit?: number;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
}

/** One page of undelivered events, oldest first. */
export interface UndeliveredPage {
  events: UndeliveredEvent[];
  /** Pass as `cursor` for the next page; `undefined` on the last page. */
  nextCursor: string | undefined;
}

/** Which undelivered events to deliver again: by event id, or by filter (`{}` selects all). */
export type RedeliverSelection = { ids: readonly string[] } | UndeliveredFilter;

/** What a relay asks of {@link OutboxStore.claim}. */
export interface ClaimOptions {
  /** At most this many events. */
  limit: number;
  /** How long the claim holds: after it, another relay may claim the event again. */
  leaseMs: number;
  /** The relay's clock. */
  now: Date;
  /** The claiming relay's name (a Redis consumer name; informative elsewhere). */
  owner: string;
  /**
   * The retry budget: attempts an event may have, interrupted ones included. An event whose
   * attempt `maxAttempts` was interrupted (its lease expired), or that already had its last
   * attempt, is moved to the undelivered store instead of being claimed. Unbounded when absent.
   */
  maxAttempts?: number;
}

/**
 * Where the outbox keeps events until they are delivered. Every state change is durable before
 * its promise resolves. A claim holds a lease; `mark…` calls of a claim whose lease another relay
 * has taken over resolve `false` and change nothing, so no event is marked twice.
 *
 * `TEnqueueOptions` are store-specific options of `enqueue`, such as the caller's transaction
 * client of {@link PostgresOutboxStore}.
 */
export interface OutboxStore<TEnqueueOptions extends object = object> {
  /** A short name for logs. */
  readonly name: string;
  /**
   * Stores a new event, due at once (or at `availableAt`; or undelivered, given a `failure`). An
   * event id already stored is ignored (idempotent).
   */
  enqueue(entry: OutboxEntry, options?: TEnqueueOptions): Promise<void>;
  /**
   * Stores every entry or none, in one transaction (one MULTI/EXEC on Redis): a failure half-way,
   * a serialization error included, leaves nothing stored. Ids already stored are ignored.
   */
  enqueueBatch(entries: readonly OutboxEntry[], options?: TEnqueueOptions): Promise<void>;
  /**
   * Removes a pending event no relay has claimed yet (a scheduled one before its time): `true`
   * when removed; `false` when unknown, claimed, delivered or undelivered.
   */
  cancel(id: string): Promise<boolean>;
  /** Claims due events, oldest first, for one attempt each. */
  claim(options: ClaimOptions): Promise<ClaimedEvent[]>;
  /** Records a delivered event; `false` when the claim was lost. */
  markDelivered(claimed: ClaimedEvent, at: Date): Promise<boolean>;
  /** Records a failed attempt and when to try again; `false` when the claim was lost. */
  markFailed(claimed: ClaimedEvent, error: AttemptError, nextAttemptAt: Date): Promise<boolean>;
  /** Records the last failed attempt and moves the event to the undelivered store. */
  moveToUndelivered(claimed: ClaimedEvent, error: AttemptError, at: Date): Promise<boolean>;
  /** Lists undelivered events, oldest first, a page at a time. */
  listUndelivered(options?: ListUndeliveredOptions): Promise<UndeliveredPage>;
  /** One undelivered event with every attempt's error, or `undefined`. */
  getUndelivered(id: string): Promise<UndeliveredEvent | undefined>;
  /** Makes selected undelivered events due again with fresh attempts; resolves to how many. */
  redeliver(selection: RedeliverSelection, now: Date): Promise<number>;
  /** Deletes selected undelivered events for good; resolves to how many. */
  deleteUndelivered(selection: RedeliverSelection): Promise<number>;
  /** Deletes events delivered before `olderThan`; resolves to how many. */
  purgeDelivered(olderThan: Date): Promise<number>;
  /** How many events wait for delivery (due, scheduled for retry or claimed). */
  pendingCount(): Promise<number>;
  /**
   * Creates what the store needs (tables and indexes; a stream and its consumer group) when
   * missing, and says what it created: `[]` when everything existed. Idempotent.
   */
  setup(): Promise<string[]>;
  /** Whether the store answers; `false` rather than an exception. */
  healthCheck(): Promise<boolean>;
  /** Releases what the store opened itself (not a connection or database passed in). */
  close(): Promise<void>;
}
