import type { Redis } from 'ioredis';
import { maxKeptAttempts, type ClaimOptions, type ClaimedEvent } from '../outbox-store.js';
import { attemptBudget, leaseExpired } from '../stored-record.js';
import { malformed } from './redis-entry.js';
import { scriptKeys, type RedisOutboxKeys } from './redis-keys.js';
import { readClaimed } from './redis-record.js';
import { RedisScript } from './redis-script.js';

const interruptedError = JSON.stringify(leaseExpired);

/**
 * ARGV from 3: owner, now (ms), limit, lease (ms), budget, this claim's lease end (ms and ISO),
 * the error of an interrupted attempt (JSON). First moves due waiting entries into the stream.
 * Then the oldest claim whose lease ran out (idle in the group's pending list past the lease):
 * its attempt is recorded as interrupted; out of budget, the entry is undelivered, else it is
 * claimed alone. Only when no lease ran out are new entries read, up to the limit; one out of
 * budget is undelivered unsent. Returns `[id, receipt, hash, history]` per claimed entry, and
 * `['legacy', stream id]` per entry a producer of the previous layout wrote (acknowledged, so
 * unclaimed, and left in the stream to be converted).
 */
const claimScript = new RedisScript(`
local owner, now, limit, lease = ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5]), ARGV[6]
local budget, leaseEnd, leaseEndAt, interrupted = tonumber(ARGV[7]), ARGV[8], ARGV[9], ARGV[10]

for _, id in ipairs(redis.call('ZRANGE', KEYS[2], '-inf', now, 'BYSCORE', 'LIMIT', 0, limit)) do
  redis.call('ZREM', KEYS[2], id)
  queue(id, entryKey(id))
end

local function take(id, key, streamId, attempts)
  local receipt = streamId .. '|' .. owner .. '|' .. (attempts + 1)
  redis.call('HSET', key, 'claim', receipt, 'leaseEnd', leaseEnd, 'leaseEndAt', leaseEndAt)
  return {id, receipt, redis.call('HGETALL', key), redis.call('LRANGE', historyKey(id), 0, -1)}
end

-- Whether a stream entry holds a whole record: the previous layout's, written by its producers.
local function legacy(item)
  return item and #item[2] > 2
end

-- The id and recorded attempts of a stream entry this layout wrote and its entry still owns, or
-- nil for a leftover.
local function owning(item)
  local fields = item and item[2]
  if not fields or #fields ~= 2 or fields[1] ~= 'id' then return nil end
  local entry = redis.call('HMGET', entryKey(fields[2]), 'stream', 'attempts')
  if entry[1] ~= item[1] then return nil end
  return fields[2], tonumber(entry[2])
end

for _, pending in ipairs(redis.call('XPENDING', KEYS[1], group, 'IDLE', lease, '-', '+', limit)) do
  local streamId = pending[1]
  local item = redis.call('XRANGE', KEYS[1], streamId, streamId)[1]
  local id, attempts = owning(item)
  if legacy(item) then
    -- left for the conversion of the previous layout's data
  elseif not id then
    redis.call('XACK', KEYS[1], group, streamId)
    redis.call('XDEL', KEYS[1], streamId)
  else
    local key = entryKey(id)
    local lastEnd = redis.call('HGET', key, 'leaseEnd') or tostring(now)
    if attempts < budget then
      attempts = attempts + 1
      local at = redis.call('HGET', key, 'leaseEndAt') or leaseEndAt
      redis.call('RPUSH', historyKey(id), '{"attempt":' .. attempts .. ',"at":"' .. at ..
        '","durationMs":0,"outcome":"interrupted","error":' .. interrupted .. '}')
      redis.call('LTRIM', historyKey(id), -${maxKeptAttempts}, -1)
      redis.call('HSET', key, 'attempts', attempts)
      redis.call('HDEL', key, 'kept')
    end
    if attempts >= budget then
      release(key, streamId)
      undeliver(id, key, lastEnd)
    else
      redis.call('XCLAIM', KEYS[1], group, owner, lease, streamId, 'JUSTID')
      return {take(id, key, streamId, attempts)}
    end
  end
end

local claimed = {}
local reply = redis.call('XREADGROUP', 'GROUP', group, owner, 'COUNT', limit, 'STREAMS', KEYS[1], '>')
if reply then
  for _, item in ipairs(reply[1][2]) do
    local streamId, fields = item[1], item[2]
    local id = #fields == 2 and fields[1] == 'id' and fields[2]
    local key = id and entryKey(id)
    -- Only the fields a claim returns: reading the whole hash costs Redis twice as much.
    local entry = id and redis.call('HMGET', key, 'stream', 'attempts', 'kept', 'event', 'attributes', 'enqueuedAt', 'topic',
      'orderingKey') or {}
    if legacy(item) then
      redis.call('XACK', KEYS[1], group, streamId)
      claimed[#claimed + 1] = {'legacy', streamId}
    elseif entry[1] ~= streamId then
      redis.call('XACK', KEYS[1], group, streamId)
      redis.call('XDEL', KEYS[1], streamId)
    elseif tonumber(entry[2]) >= budget then
      release(key, streamId)
      undeliver(id, key, now)
    else
      local receipt = streamId .. '|' .. owner .. '|' .. (tonumber(entry[2]) + 1)
      redis.call('HSET', key, 'claim', receipt, 'leaseEnd', leaseEnd, 'leaseEndAt', leaseEndAt)
      local hash = {'state', 'pending', 'attempts', entry[2], 'event', entry[4], 'attributes', entry[5],
        'enqueuedAt', entry[6], 'claim', receipt, 'leaseEnd', leaseEnd}
      if entry[7] then
        hash[#hash + 1] = 'topic'
        hash[#hash + 1] = entry[7]
      end
      if entry[8] then
        hash[#hash + 1] = 'orderingKey'
        hash[#hash + 1] = entry[8]
      end
      -- \`kept\` counts the attempt records when known: none to read for a first attempt.
      local history = entry[3] == '0' and {} or redis.call('LRANGE', historyKey(id), 0, -1)
      claimed[#claimed + 1] = {id, receipt, hash, history}
    end
  end
end
return claimed`);

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
