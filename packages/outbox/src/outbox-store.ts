import type { PublishedEvent } from '@events-protocol/publish';

/** Why an attempt failed, as kept for operators. */
export interface AttemptFailure {
  /** The error's message. */
  message: string;
  /** The error's class name, when it had one. */
  name?: string;
  /** The error's stable `code`, when it had one (e.g. `TIMEOUT`, `LEASE_EXPIRED`). */
  code?: string;
}

/**
 * One delivery attempt, as recorded for every sink: what a webhook service shows for each try.
 * Stores keep the last {@link maxKeptAttempts} of an entry; `attempts` counts them all.
 */
export interface AttemptRecord {
  /** The attempt's number, 1-based; interrupted attempts count. */
  attempt: number;
  /** When it started, as an ISO-8601 timestamp. */
  at: string;
  /** How long it took, in ms (0 for an interrupted attempt, whose end nobody saw). */
  durationMs: number;
  /** `delivered`; `failed` (the sink threw); `interrupted` (its lease expired unrecorded). */
  outcome: 'delivered' | 'failed' | 'interrupted';
  /** What the target answered, when the sink reports it (an HTTP status). */
  status?: number;
  /** The start of the target's answer (at most 2 KiB), when the sink reports it. */
  responseExcerpt?: string;
  /** Why it failed; absent for a delivered attempt. */
  error?: AttemptFailure;
}

/** The most attempt records a store keeps per entry: the newest ones. */
export const maxKeptAttempts = 100;

/** An event as `enqueue` hands it to a store. */
export interface OutboxEntry {
  /**
   * The entry's key, unique in the store: what operators list, redeliver and purge by. The event id
   * when absent; a webhook delivery has one per (subscription, event).
   */
  id?: string;
  event: PublishedEvent;
  topic: string | undefined;
  attributes: Readonly<Record<string, string>>;
  enqueuedAt: Date;
  /** Not claimed before this time (a scheduled publish); due at once when absent. */
  availableAt?: Date | undefined;
  /**
   * Stores the entry straight as undelivered, with this as its one attempt: what a publisher does
   * when the direct publish failed and no relay should retry blindly.
   */
  failure?: AttemptRecord | undefined;
  /**
   * Entries with the same ordering key are delivered one after another, in enqueue order: a claim
   * does not hand out an entry while an earlier one of its key is pending (due, scheduled,
   * waiting for a retry, or claimed). Once that one is delivered or given up (undelivered), the
   * next becomes claimable. A redelivered entry rejoins its key at the end. Entries without a key
   * are not ordered.
   */
  orderingKey?: string | undefined;
}

/** An entry a relay claimed for one delivery attempt; settle it exactly once. */
export interface ClaimedEvent {
  /** The entry's key (see {@link OutboxEntry.id}). */
  id: string;
  /** The store's handle of this claim (a lease token or a stream entry id); opaque to callers. */
  receipt: string;
  event: PublishedEvent;
  topic: string | undefined;
  attributes: Readonly<Record<string, string>>;
  /** The number of this attempt, 1-based; interrupted attempts count. */
  attempt: number;
  /** The earlier attempts, oldest first (an interrupted one included, as `interrupted`). */
  history: readonly AttemptRecord[];
  enqueuedAt: Date;
  /** The entry's ordering key, when it has one (see {@link OutboxEntry.orderingKey}). */
  orderingKey?: string | undefined;
}

/**
 * What an outbox holds, for metrics and operators' views: counted by the store in one query (one
 * round trip on Redis) over its indexes, without listing entries.
 */
export interface OutboxStats {
  /** Entries waiting for delivery: due, scheduled, waiting for a retry or behind their ordering key, or claimed. */
  pending: number;
  /**
   * Pending entries a relay could claim now: due, not claimed, and not waiting behind an earlier
   * entry of their ordering key.
   */
  due: number;
  /** Pending entries a relay claimed and has not settled (a lease that ran out counts until taken over). */
  claimed: number;
  /** When the earliest pending entry was enqueued; `undefined` when nothing is pending. */
  oldestPendingEnqueuedAt: Date | undefined;
  /** Entries that exhausted their attempts and wait for an operator. */
  undelivered: number;
  /** When the longest-waiting undelivered entry failed; `undefined` when there is none. */
  oldestUndeliveredFailedAt: Date | undefined;
}

/** Where an entry stands. */
export type EntryState = 'pending' | 'delivered' | 'undelivered';

/** Any stored entry, as an operator inspects it. */
export interface StoredEntry {
  /** The entry's key (see {@link OutboxEntry.id}). */
  id: string;
  state: EntryState;
  topic: string | undefined;
  event: PublishedEvent;
  attributes: Readonly<Record<string, string>>;
  /** Attempts made so far, interrupted ones included. */
  attempts: number;
  /** The kept attempt records, oldest first. */
  history: readonly AttemptRecord[];
  enqueuedAt: Date;
  /** Pending: when it is due (again); a claimed entry is due when its lease ends. */
  nextAttemptAt?: Date | undefined;
  /** Pending: whether a relay holds it now. */
  claimed?: boolean | undefined;
  /** Delivered: when. */
  deliveredAt?: Date | undefined;
  /** Undelivered: when the last attempt failed. */
  failedAt?: Date | undefined;
  /** The entry's ordering key, when it has one (see {@link OutboxEntry.orderingKey}). */
  orderingKey?: string | undefined;
}

/** An entry that exhausted its attempts, with everything an operator needs to act on it. */
export interface UndeliveredEvent extends StoredEntry {
  state: 'undelivered';
  failedAt: Date;
}

/** A pending entry: due, scheduled, waiting for a retry, or claimed. */
export interface PendingEvent extends StoredEntry {
  state: 'pending';
  nextAttemptAt: Date;
  claimed: boolean;
}

/** Selects undelivered entries by topic and by when they failed (`since` inclusive, `until` exclusive). */
export interface UndeliveredFilter {
  topic?: string;
  since?: Date;
  until?: Date;
}

/** A page request. */
export interface PageOptions {
  /** At most this many entries (100 by default, 10,000 at most). */
  limit?: number;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
}

/** A page request for {@link OutboxStore.listUndelivered}. */
export interface ListUndeliveredOptions extends UndeliveredFilter, PageOptions {}

/** A page request for {@link OutboxStore.listPending}, optionally of one topic. */
export interface ListPendingOptions extends PageOptions {
  topic?: string;
}

/** One page of entries, oldest first. */
export interface Page<T> {
  events: T[];
  /** Pass as `cursor` for the next page; `undefined` on the last page. */
  nextCursor: string | undefined;
}

/** One page of undelivered entries, oldest first. */
export type UndeliveredPage = Page<UndeliveredEvent>;

/** Which undelivered entries to deliver again: by entry id, or by filter (`{}` selects all). */
export type RedeliverSelection = { ids: readonly string[] } | UndeliveredFilter;

/** What a relay asks of {@link OutboxStore.claim}. */
export interface ClaimOptions {
  /** At most this many entries. */
  limit: number;
  /** How long the claim holds: after it, another relay may claim the entry again. */
  leaseMs: number;
  /** The relay's clock. */
  now: Date;
  /** The claiming relay's name (a Redis consumer name; informative elsewhere). */
  owner: string;
  /**
   * The retry budget: attempts an entry may have, interrupted ones included. An entry whose
   * attempt `maxAttempts` was interrupted (its lease expired), or that already had its last
   * attempt, is moved to the undelivered store instead of being claimed. Unbounded when absent.
   */
  maxAttempts?: number;
}

/** How a relay settles one claimed entry: the attempt it made, and what follows. */
export type Settlement =
  | { claimed: ClaimedEvent; attempt: AttemptRecord; next: 'delivered' }
  | { claimed: ClaimedEvent; attempt: AttemptRecord; next: 'retry'; nextAttemptAt: Date }
  | { claimed: ClaimedEvent; attempt: AttemptRecord; next: 'undelivered' };

/**
 * Where the outbox keeps entries until they are delivered: the one engine behind the relay,
 * topics and webhooks. Every state change is durable before its promise resolves. A claim holds a
 * lease; a settlement of a claim whose lease another relay has taken over changes nothing and
 * reports `false`, so no entry is settled twice.
 *
 * `TEnqueueOptions` are store-specific options of `enqueue`, such as the caller's transaction
 * client of the PostgreSQL store or the caller's database of the SQLite store.
 */
export interface OutboxStore<TEnqueueOptions extends object = object> {
  /** A short name for logs. */
  readonly name: string;
  /**
   * Stores a new entry, due at once (or at `availableAt`; or undelivered, given a `failure`).
   * Resolves `true` when stored now, `false` when its id was stored before (then nothing changes).
   */
  enqueue(entry: OutboxEntry, options?: TEnqueueOptions): Promise<boolean>;
  /**
   * Stores every entry or none, in one transaction (one MULTI/EXEC on Redis): a failure half-way,
   * a serialization error included, leaves nothing stored. Resolves to one flag per entry, as
   * {@link OutboxStore.enqueue}'s.
   */
  enqueueBatch(entries: readonly OutboxEntry[], options?: TEnqueueOptions): Promise<boolean[]>;
  /**
   * Removes a pending entry no relay has claimed yet (a scheduled one before its time): `true`
   * when removed; `false` when unknown, claimed, delivered or undelivered.
   */
  cancel(id: string): Promise<boolean>;
  /** Claims due entries, oldest first, for one attempt each. */
  claim(options: ClaimOptions): Promise<ClaimedEvent[]>;
  /**
   * Records attempts and their consequences in one transaction (one round trip where the store
   * can): delivered, due again at `nextAttemptAt`, or moved to the undelivered store. Resolves to
   * one flag per settlement: `false` when that claim was lost, and then nothing of it changed.
   */
  settle(settlements: readonly Settlement[], now: Date): Promise<boolean[]>;
  /**
   * Resolves when entries may have become due (an enqueue anywhere, where the store can hear of
   * it: PostgreSQL's LISTEN, a Redis wake-up key, the same process), after `timeoutMs` at the
   * latest, or at once when `signal` aborts. Never rejects. Lets a relay start an attempt within
   * milliseconds of a commit without polling hard.
   */
  waitForEntries(timeoutMs: number, signal: AbortSignal): Promise<void>;
  /** Lists pending entries, oldest first, a page at a time. */
  listPending(options?: ListPendingOptions): Promise<Page<PendingEvent>>;
  /** Lists undelivered entries, oldest first by failure time, a page at a time. */
  listUndelivered(options?: ListUndeliveredOptions): Promise<UndeliveredPage>;
  /** One entry in any state, with its attempts, or `undefined`. */
  getEntry(id: string): Promise<StoredEntry | undefined>;
  /** Makes selected undelivered entries due again with fresh attempts; resolves to how many. */
  redeliver(selection: RedeliverSelection, now: Date): Promise<number>;
  /** Deletes selected undelivered entries for good; resolves to how many. */
  deleteUndelivered(selection: RedeliverSelection): Promise<number>;
  /** Deletes entries delivered before `olderThan`; resolves to how many. */
  purgeDelivered(olderThan: Date): Promise<number>;
  /** How many entries wait for delivery (due, scheduled for retry or claimed). */
  pendingCount(): Promise<number>;
  /**
   * Counts what the store holds at `now` (which decides what is due), in one query or round trip
   * over indexes: queue depth, claims, the oldest pending entry and the undelivered depth.
   */
  stats(now: Date): Promise<OutboxStats>;
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
