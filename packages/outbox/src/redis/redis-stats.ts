import type { Redis } from 'ioredis';
import type { OutboxStats } from '../outbox-store.js';
import { malformed } from './redis-entry.js';
import { scriptKeys, type RedisOutboxKeys } from './redis-keys.js';
import { RedisScript } from './redis-script.js';

/**
 * ARGV[3]: now (ms). Reads the indexes' sizes and first members, never the entries: pending
 * (ZCARD of the pending index), claimed (the consumer group's pending count), due (stream items
 * no relay read yet, plus waiting entries whose time has come; entries waiting behind their
 * ordering key are in neither), undelivered (ZCARD of the undelivered index), and the first
 * pending entry's enqueue time and the first undelivered member's failure time (its prefix).
 * Returns `[pending, due, claimed, oldestPendingMs | false, undelivered, oldestFailedMs | false]`.
 */
const statsScript = new RedisScript(`
local now = ARGV[3]
local pending, undelivered = redis.call('ZCARD', KEYS[3]), redis.call('ZCARD', KEYS[4])
local claimed = 0
local summary = redis.pcall('XPENDING', KEYS[1], group)
if type(summary) == 'table' and summary[1] then claimed = tonumber(summary[1]) end
local unread = math.max(0, redis.call('XLEN', KEYS[1]) - claimed)
local due = unread + redis.call('ZCOUNT', KEYS[2], '-inf', now)
local oldestPending = false
local first = redis.call('ZRANGE', KEYS[3], 0, 0)[1]
if first then oldestPending = redis.call('HGET', entryKey(first), 'enqueuedAt') or false end
local oldestFailed = false
local failed = redis.call('ZRANGE', KEYS[4], 0, 0)[1]
if failed then oldestFailed = string.sub(failed, 1, 15) end
return {pending, due, claimed, oldestPending, undelivered, oldestFailed}`);

function count(value: unknown): number {
  if (typeof value !== 'number') throw malformed('expected a count in the statistics');
  return value;
}

function time(value: unknown): Date | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'string' || !/^\d+$/.test(value)) throw malformed('expected a time in the statistics');
  return new Date(Number(value));
}

/** The statistics of the outbox at `keys`, in one script (one round trip), at `now`. */
export async function redisStats(redis: Redis, keys: RedisOutboxKeys, group: string, now: Date): Promise<OutboxStats> {
  const reply = await statsScript.run(redis, scriptKeys(keys), [keys.prefix, group, now.getTime()]);
  if (!Array.isArray(reply) || reply.length !== 6) throw malformed('expected six statistics');
  const [pending, due, claimed, oldestPending, undelivered, oldestFailed] = reply as unknown[];
  return {
    pending: count(pending),
    due: count(due),
    claimed: count(claimed),
    oldestPendingEnqueuedAt: time(oldestPending),
    undelivered: count(undelivered),
    oldestUndeliveredFailedAt: time(oldestFailed),
  };
}
