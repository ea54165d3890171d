import { maxKeptAttempts } from '../outbox-store.js';
import { RedisScript } from './redis-script.js';

// The store's scripts. Each runs atomically, so an entry is never in two states or in none, and
// one call does a whole batch: one round trip. KEYS are those of `scriptKeys`; ARGV starts with
// the prefix and the consumer group (see `RedisScript`). A claim is owned while its entry's
// `claim` field holds the claim's receipt; a relay that took the entry over wrote a new one.

/**
 * ARGV[3]: how many entries; from 4, per entry its id, kind (`due` | `scheduled` |
 * `undelivered`), time (ms: due at, or failed at), n, n field/value items, and an attempt record
 * (`undelivered` only; else ''). An id stored before (delivered and purged ones aside) is left
 * alone. Returns 1 or 0 per entry.
 */
export const enqueueScript = new RedisScript(`
local results, due, index = {}, 0, 4
local pending, waiting = {}, {}
-- Sequence numbers for the whole batch at once: a repeated id leaves a gap, which is harmless.
local seq = redis.call('INCRBY', KEYS[6], ARGV[3]) - tonumber(ARGV[3])
while index <= #ARGV do
  local id, kind, at, count = ARGV[index], ARGV[index + 1], ARGV[index + 2], tonumber(ARGV[index + 3])
  local first = index + 4
  local record = ARGV[first + count]
  index = first + count + 1
  local key = entryKey(id)
  if redis.call('EXISTS', key) == 1 then
    results[#results + 1] = 0
  else
    seq = seq + 1
    local fields = {'HSET', key, 'seq', seq, unpack(ARGV, first, first + count - 1)}
    if kind == 'undelivered' then
      redis.call(unpack(fields))
      redis.call('HSET', key, 'attempts', 1)
      redis.call('RPUSH', historyKey(id), record)
      undeliver(id, key, at)
    else
      for _, item in ipairs({'state', 'pending', 'attempts', '0', 'dueAt', at}) do fields[#fields + 1] = item end
      if kind == 'scheduled' then
        waiting[#waiting + 1] = at
        waiting[#waiting + 1] = id
      else
        fields[#fields + 1] = 'stream'
        fields[#fields + 1] = redis.call('XADD', KEYS[1], '*', 'id', id)
        due = due + 1
      end
      redis.call(unpack(fields))
      pending[#pending + 1] = seq
      pending[#pending + 1] = id
    end
    results[#results + 1] = 1
  end
end
bulk({'ZADD', KEYS[3]}, pending)
bulk({'ZADD', KEYS[2]}, waiting)
wake(due)
return results`);

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
export const claimScript = new RedisScript(`
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
    local hash = id and redis.call('HGETALL', key) or {}
    local entry = {}
    for index = 1, #hash, 2 do entry[hash[index]] = hash[index + 1] end
    if legacy(item) then
      redis.call('XACK', KEYS[1], group, streamId)
      claimed[#claimed + 1] = {'legacy', streamId}
    elseif entry.stream ~= streamId then
      redis.call('XACK', KEYS[1], group, streamId)
      redis.call('XDEL', KEYS[1], streamId)
    elseif tonumber(entry.attempts) >= budget then
      release(key, streamId)
      undeliver(id, key, now)
    else
      local receipt = streamId .. '|' .. owner .. '|' .. (tonumber(entry.attempts) + 1)
      redis.call('HSET', key, 'claim', receipt, 'leaseEnd', leaseEnd, 'leaseEndAt', leaseEndAt)
      -- The hash as it is now: a later field of the same name wins when it is read.
      for _, value in ipairs({'claim', receipt, 'leaseEnd', leaseEnd, 'leaseEndAt', leaseEndAt}) do
        hash[#hash + 1] = value
      end
      claimed[#claimed + 1] = {id, receipt, hash, redis.call('LRANGE', historyKey(id), 0, -1)}
    end
  end
end
return claimed`);

/**
 * ARGV from 3: per settlement its id, receipt, next (`delivered` | `retry` | `undelivered`),
 * time (ms: delivered at, due again at, failed at) and attempt record (JSON). Returns 1 or 0
 * (the claim was lost: nothing changed) per settlement.
 */
export const settleScript = new RedisScript(`
local results, streamIds, settled, delivered, undelivered, waiting = {}, {}, {}, {}, {}, {}
for index = 3, #ARGV, 5 do
  local id, receipt, next, at, record = ARGV[index], ARGV[index + 1], ARGV[index + 2], ARGV[index + 3], ARGV[index + 4]
  local key = entryKey(id)
  local held = redis.call('HMGET', key, 'claim', 'stream', 'attempts')
  if held[1] ~= receipt then
    results[#results + 1] = 0
  else
    streamIds[#streamIds + 1] = held[2]
    if redis.call('RPUSH', historyKey(id), record) > ${maxKeptAttempts} then
      redis.call('LTRIM', historyKey(id), -${maxKeptAttempts}, -1)
    end
    -- An empty claim and stream: no relay holds it, and it is not in the stream.
    local fields = {'HSET', key, 'attempts', tonumber(held[3]) + 1, 'claim', '', 'stream', ''}
    if next == 'retry' then
      fields[#fields + 1] = 'dueAt'
      fields[#fields + 1] = at
      waiting[#waiting + 1] = at
      waiting[#waiting + 1] = id
    else
      settled[#settled + 1] = id
      if next == 'delivered' then
        fields[#fields + 1] = 'deliveredAt'
        fields[#fields + 1] = at
        fields[#fields + 1] = 'state'
        fields[#fields + 1] = 'delivered'
        delivered[#delivered + 1] = at
        delivered[#delivered + 1] = id
      else
        fields[#fields + 1] = 'failedAt'
        fields[#fields + 1] = at
        fields[#fields + 1] = 'state'
        fields[#fields + 1] = 'undelivered'
        undelivered[#undelivered + 1] = 0
        undelivered[#undelivered + 1] = undeliveredMember(at, id)
      end
    end
    redis.call(unpack(fields))
    results[#results + 1] = 1
  end
end
bulk({'XACK', KEYS[1], group}, streamIds)
bulk({'XDEL', KEYS[1]}, streamIds)
bulk({'ZREM', KEYS[3]}, settled)
bulk({'ZADD', KEYS[5]}, delivered)
bulk({'ZADD', KEYS[4]}, undelivered)
bulk({'ZADD', KEYS[2]}, waiting)
return results`);

/** ARGV[3]: an id. Removes a pending entry never attempted and not claimed; returns 1 or 0. */
export const cancelScript = new RedisScript(`
local id = ARGV[3]
local key = entryKey(id)
local entry = redis.call('HMGET', key, 'state', 'claim', 'attempts', 'stream')
if entry[1] ~= 'pending' or (entry[2] or '') ~= '' or entry[3] ~= '0' then return 0 end
if (entry[4] or '') ~= '' then redis.call('XDEL', KEYS[1], entry[4]) else redis.call('ZREM', KEYS[2], id) end
redis.call('ZREM', KEYS[3], id)
redis.call('DEL', key, historyKey(id))
return 1`);

/** ARGV[3]: now (ms), then ids. Makes undelivered ones due again with no attempts; returns how many. */
export const redeliverScript = new RedisScript(`
local count = 0
for index = 4, #ARGV do
  local id = ARGV[index]
  local key = entryKey(id)
  local entry = redis.call('HMGET', key, 'state', 'failedAt', 'seq')
  if entry[1] == 'undelivered' then
    redis.call('ZREM', KEYS[4], undeliveredMember(entry[2], id))
    redis.call('HDEL', key, 'failedAt')
    redis.call('HSET', key, 'state', 'pending', 'attempts', 0, 'dueAt', ARGV[3])
    redis.call('ZADD', KEYS[3], entry[3], id)
    queue(id, key)
    count = count + 1
  end
end
wake(count)
return count`);

/** ARGV from 3: ids. Deletes the undelivered ones for good; returns how many. */
export const deleteUndeliveredScript = new RedisScript(`
local count = 0
for index = 3, #ARGV do
  local id = ARGV[index]
  local key = entryKey(id)
  local entry = redis.call('HMGET', key, 'state', 'failedAt')
  if entry[1] == 'undelivered' then
    redis.call('ZREM', KEYS[4], undeliveredMember(entry[2], id))
    redis.call('DEL', key, historyKey(id))
    count = count + 1
  end
end
return count`);

/** ARGV[3], [4]: before (ms, exclusive), limit. Deletes up to `limit` delivered entries; returns how many. */
export const purgeScript = new RedisScript(`
local ids = redis.call('ZRANGE', KEYS[5], '-inf', '(' .. ARGV[3], 'BYSCORE', 'LIMIT', 0, tonumber(ARGV[4]))
for _, id in ipairs(ids) do
  redis.call('ZREM', KEYS[5], id)
  if redis.call('HGET', entryKey(id), 'state') == 'delivered' then redis.call('DEL', entryKey(id), historyKey(id)) end
end
return #ids`);

/**
 * KEYS[1]: an index (pending, by score; undelivered, by lex). ARGV from 3: BYSCORE or BYLEX,
 * start, end, count. Returns `[position, id, hash, history]` per entry in the range (the position
 * is the member of a lex index, the score of the other): a chunk read in one round trip.
 */
export const pageScript = new RedisScript(`
local by = ARGV[3]
local page = {}
for _, member in ipairs(redis.call('ZRANGE', KEYS[1], ARGV[4], ARGV[5], by, 'LIMIT', 0, tonumber(ARGV[6]))) do
  local id, position = member, member
  if by == 'BYLEX' then
    id = string.sub(member, string.find(member, '|', 1, true) + 1)
  else
    position = redis.call('ZSCORE', KEYS[1], member)
  end
  page[#page + 1] = {position, id, redis.call('HGETALL', entryKey(id)), redis.call('LRANGE', historyKey(id), 0, -1)}
end
return page`);

/** ARGV[3]: an id. Returns `[hash, history]` of the entry (an empty hash when unknown). */
export const entryScript = new RedisScript(`
local id = ARGV[3]
return {redis.call('HGETALL', entryKey(id)), redis.call('LRANGE', historyKey(id), 0, -1)}`);
