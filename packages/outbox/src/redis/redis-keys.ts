/**
 * The keys of one Redis outbox, all under its prefix. An entry is a hash (`<prefix>:entry:<id>`)
 * with its attempt records in a list (`<prefix>:history:<id>`); the other keys are indexes of
 * those entries, so every state change is a few O(log n) writes in one script.
 */
export interface RedisOutboxKeys {
  /** The prefix itself: scripts build an entry's own keys from it. */
  prefix: string;
  /** The stream relays read through their consumer group: one item (the entry id) per due entry. */
  events: string;
  /** Sorted set of pending entries not due yet (scheduled, or waiting for a retry), by due time. */
  waiting: string;
  /** Sorted set of every pending entry by its sequence number: `listPending`'s order. */
  pending: string;
  /** Sorted set of undelivered entries, all at score 0, as `<failedAt, 15 digits>|<id>`. */
  undelivered: string;
  /** Sorted set of delivered entries by delivery time, for `purgeDelivered` (the same as before). */
  delivered: string;
  /** The counter that numbers entries in enqueue order. */
  sequence: string;
  /** A short list of tokens that an enqueue pushes and a waiting relay pops. */
  wake: string;
  /** Which layout the data is in: `2`, once data of the previous layout was converted. */
  layout: string;
}

/** The keys of the previous layout, read once to convert its data. */
export interface LegacyRedisKeys {
  /** Due and claimed entries with all their fields: the same stream as {@link RedisOutboxKeys.events}. */
  events: string;
  /** Sorted set of retries and scheduled entries, each member a JSON array of fields. */
  retries: string;
  /** Hash of scheduled entries: id → its member of `retries`. */
  scheduled: string;
  /** Stream of undelivered entries with all their fields and `failedAt`. */
  undelivered: string;
  /** Set of every id ever stored and not purged. */
  ids: string;
  /** Hash of stream entry id → the LEASE_EXPIRED errors of its expired claims. */
  interrupted: string;
}

/** The keys of the outbox at `prefix`. */
export function redisOutboxKeys(prefix: string): RedisOutboxKeys {
  return {
    prefix,
    events: `${prefix}:events`,
    waiting: `${prefix}:waiting`,
    pending: `${prefix}:pending`,
    undelivered: `${prefix}:undelivered-by-failure`,
    delivered: `${prefix}:delivered`,
    sequence: `${prefix}:sequence`,
    wake: `${prefix}:wake`,
    layout: `${prefix}:layout`,
  };
}

/** The keys of the previous layout at `prefix`. */
export function legacyRedisKeys(prefix: string): LegacyRedisKeys {
  return {
    events: `${prefix}:events`,
    retries: `${prefix}:retries`,
    scheduled: `${prefix}:scheduled`,
    undelivered: `${prefix}:undelivered`,
    ids: `${prefix}:ids`,
    interrupted: `${prefix}:interrupted`,
  };
}

/** The keys every script gets, in this order, as KEYS[1] to KEYS[7]. */
export function scriptKeys(keys: RedisOutboxKeys): string[] {
  return [keys.events, keys.waiting, keys.pending, keys.undelivered, keys.delivered, keys.sequence, keys.wake];
}

/**
 * An undelivered entry's member of the undelivered index: its failure time, zero-padded so the
 * set's lexical order is failure order, then its id (ties in id order).
 */
export function undeliveredMember(failedAtMs: number, id: string): string {
  return `${failedAtPosition(failedAtMs)}|${id}`;
}

/** The zero-padded failure time that starts undelivered members: for `since`/`until` ranges. */
export function failedAtPosition(failedAtMs: number): string {
  return String(Math.max(0, Math.trunc(failedAtMs))).padStart(15, '0');
}
