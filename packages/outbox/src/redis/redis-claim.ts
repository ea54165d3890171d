import type { Redis } from 'ioredis';
import type { ClaimOptions, ClaimedEvent } from '../outbox-store.js';
import { attemptBudget, leaseExpired } from '../stored-record.js';
import { malformed } from './redis-entry.js';
import { scriptKeys, type RedisOutboxKeys } from './redis-keys.js';
import { readClaimed } from './redis-record.js';
import { claimScript } from './redis-scripts.js';

const interruptedError = JSON.stringify(leaseExpired);

/** What one claim call found: the claimed entries, and whether the previous layout's producers wrote some. */
export interface RedisClaimResult {
  claimed: ClaimedEvent[];
  legacySeen: boolean;
}

/**
 * One claim on Redis Streams, in one script (one round trip): due retries and scheduled
 * entries join the stream; an entry whose lease ran out (idle in the consumer group's pending
 * list past `leaseMs`) has its attempt recorded as interrupted and is claimed alone, or goes
 * undelivered once its budget is spent; otherwise up to `limit` new entries are read through the
 * group. Redis measures idle time on its own clock, so relays of one stream share one `leaseMs`.
 */
export async function claimRedisEntries(
  redis: Redis,
  keys: RedisOutboxKeys,
  group: string,
  options: ClaimOptions,
): Promise<RedisClaimResult> {
  const budget = attemptBudget(options);
  const now = options.now.getTime();
  const leaseEnd = new Date(now + options.leaseMs);
  const reply = await claimScript.run(
    redis,
    scriptKeys(keys),
    [keys.prefix, group, options.owner, now, options.limit, options.leaseMs, budget]
      .concat([leaseEnd.getTime(), leaseEnd.toISOString(), interruptedError])
      .map(String),
  );
  if (!Array.isArray(reply)) throw malformed('expected a list of claims');
  const result: RedisClaimResult = { claimed: [], legacySeen: false };
  for (const item of reply as unknown[]) {
    if (Array.isArray(item) && item.length === 2 && item[0] === 'legacy') result.legacySeen = true;
    else result.claimed.push(readClaimed(item));
  }
  return result;
}
