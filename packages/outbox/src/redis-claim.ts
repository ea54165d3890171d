import type { Redis } from 'ioredis';
import type { AttemptError, ClaimOptions, ClaimedEvent } from './outbox-store.js';
import { field, flatten, readEntries, type RedisEntry } from './redis-entry.js';
import { moveToUndeliveredScript, promoteScript, reclaimScript } from './redis-scripts.js';
import { attemptBudget, decodeAttributes, decodeErrors, decodeEvent, interruptedAttempt } from './stored-record.js';

/** The keys a Redis claim touches. */
export interface RedisClaimKeys {
  events: string;
  retries: string;
  scheduled: string;
  undelivered: string;
  interrupted: string;
}

/** Where a claim runs: the connection, the keys and the relays' consumer group. */
export interface RedisClaimTarget {
  redis: Redis;
  keys: RedisClaimKeys;
  group: string;
}

/** An entry whose lease expired, and what the reclaim script is to do with it. */
interface Expired {
  args: (string | number)[];
  claimed?: ClaimedEvent;
}

/**
 * One claim on Redis Streams. First the entries whose lease ran out (idle in the group's pending
 * list past `leaseMs`): each interrupted attempt is recorded as `LEASE_EXPIRED`; an entry whose
 * budget that spent goes to the undelivered stream, and the oldest other one is claimed alone.
 * One script does all of it after checking each entry is as read, so two relays never both count
 * or both take one expiry. Only when none is left are new entries read, up to the limit; one that
 * already had its last attempt goes to the undelivered stream unsent.
 */
export async function claimRedisEntries(target: RedisClaimTarget, options: ClaimOptions): Promise<ClaimedEvent[]> {
  const budget = attemptBudget(options);
  const { redis, keys, group } = target;
  await redis.eval(promoteScript, 3, keys.events, keys.retries, keys.scheduled, options.now.getTime(), options.limit);
  const reclaimed = await reclaimExpired(target, options, budget);
  if (reclaimed !== undefined) return [reclaimed];
  const reply = await redis.call('XREADGROUP', [
    ...['GROUP', group, options.owner, 'COUNT', options.limit],
    ...['STREAMS', keys.events, '>'],
  ]);
  const entries: RedisEntry[] = [];
  if (Array.isArray(reply)) for (const [, list] of reply as [string, unknown][]) entries.push(...readEntries(list));
  const claimed: ClaimedEvent[] = [];
  for (const entry of entries) {
    const attempts = Number(field(entry, 'attempts'));
    if (attempts < budget) {
      claimed.push(toClaimed(entry, options, attempts + 1, decodeErrors(field(entry, 'errors'))));
      continue;
    }
    const fields = flatten({ ...Object.fromEntries(entry.fields), failedAt: String(options.now.getTime()) });
    const args = [group, entry.entryId, options.owner, ...fields];
    await redis.eval(moveToUndeliveredScript, 3, keys.events, keys.undelivered, keys.interrupted, ...args);
  }
  return claimed;
}

async function reclaimExpired(
  { redis, keys, group }: RedisClaimTarget,
  options: ClaimOptions,
  budget: number,
): Promise<ClaimedEvent | undefined> {
  const reply = await redis.call('XPENDING', [keys.events, group, 'IDLE', options.leaseMs, '-', '+', options.limit]);
  const pending = (Array.isArray(reply) ? (reply as unknown[]) : []).filter(
    (item): item is [string, string, number, number] =>
      Array.isArray(item) && typeof item[0] === 'string' && typeof item[2] === 'number' && typeof item[3] === 'number',
  );
  if (pending.length === 0) return undefined;
  const reads = redis.pipeline();
  for (const [entryId] of pending) reads.xrange(keys.events, entryId, entryId).hget(keys.interrupted, entryId);
  const results = (await reads.exec()) ?? [];
  const expired = pending.map((item, index): Expired => {
    const [range, stored] = [results[index * 2], results[index * 2 + 1]];
    const failure = range?.[0] ?? stored?.[0];
    if (failure !== undefined && failure !== null) throw failure;
    const [entry] = readEntries(range?.[1]);
    return planExpired(item, entry, typeof stored?.[1] === 'string' ? stored[1] : undefined, options, budget);
  });
  const done = (await redis.eval(
    reclaimScript,
    3,
    keys.events,
    keys.undelivered,
    keys.interrupted,
    ...[group, options.owner, options.leaseMs, ...expired.flatMap((item) => item.args)],
  )) as number[];
  return expired.find((item, index) => item.claimed !== undefined && done[index] === 1)?.claimed;
}

/** What to do with one expired entry: its interrupted attempts recorded, then undelivered or claimed. */
function planExpired(
  [entryId, consumer, idleMs, deliveries]: [string, string, number, number],
  entry: RedisEntry | undefined,
  stored: string | undefined,
  options: ClaimOptions,
  budget: number,
): Expired {
  const check = [entryId, consumer, deliveries];
  if (entry === undefined) return { args: [...check, 'forget', 0] };
  const leaseEnd = new Date(options.now.getTime() - idleMs + options.leaseMs);
  const before = Number(field(entry, 'attempts'));
  const errors = decodeErrors(field(entry, 'errors'));
  // Every delivery of the entry was an attempt, except one beyond the budget: relays never send those.
  const interrupted = before >= budget ? [] : decodeErrors(stored ?? '[]');
  const attempts = before >= budget ? before : before + deliveries;
  for (let attempt = before + interrupted.length + 1; attempt <= attempts; attempt++) {
    interrupted.push(interruptedAttempt(attempt, leaseEnd));
  }
  const all: AttemptError[] = [...errors, ...interrupted];
  if (attempts >= budget) {
    const fields = flatten({
      ...Object.fromEntries(entry.fields),
      attempts: String(attempts),
      errors: JSON.stringify(all),
      failedAt: String(leaseEnd.getTime()),
    });
    return { args: [...check, 'undelivered', fields.length, ...fields] };
  }
  return {
    args: [...check, 'reclaim', 1, JSON.stringify(interrupted)],
    claimed: toClaimed(entry, options, attempts + 1, all),
  };
}

function toClaimed(entry: RedisEntry, options: ClaimOptions, attempt: number, errors: AttemptError[]): ClaimedEvent {
  return {
    receipt: `${entry.entryId}|${options.owner}`,
    event: decodeEvent(field(entry, 'event')),
    topic: entry.fields.get('topic'),
    attributes: decodeAttributes(field(entry, 'attributes')),
    attempt,
    errors,
    enqueuedAt: new Date(Number(field(entry, 'enqueuedAt'))),
  };
}
