import { maxKeptAttempts } from '../outbox-store.js';
import { RedisScript } from './redis-script.js';

// The store's scripts (the claim's is in redis-claim.ts). Each runs atomically, so an entry is
// never in two states or in none, and one call does a whole batch: one round trip. KEYS are
// those of `scriptKeys`; ARGV starts with the prefix and the consumer group (see `RedisScript`).
// A claim is owned while its entry's `claim` field holds the claim's receipt; a relay that took
// the entry over wrote a new one.

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
      for _, item in ipairs({'state', 'pending', 'attempts', '0', 'kept', '0', 'dueAt', at}) do
        fields[#fields + 1] = item
      end
      local orderingKey
      for name = first, first + count - 1, 2 do
        if ARGV[name] == 'orderingKey' then orderingKey = ARGV[name + 1] end
      end
      if not joinOrder(id, orderingKey) then
        -- behind an earlier entry of its key: queued once that one leaves pending
      elseif kind == 'scheduled' then
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
    local kept = redis.call('RPUSH', historyKey(id), record)
    if kept > ${maxKeptAttempts} then
      redis.call('LTRIM', historyKey(id), -${maxKeptAttempts}, -1)
      kept = ${maxKeptAttempts}
    end
    -- An empty claim and stream: no relay holds it, and it is not in the stream.
    local fields = {'HSET', key, 'attempts', tonumber(held[3]) + 1, 'kept', kept, 'claim', '', 'stream', ''}
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
    if next ~= 'retry' then advance(id, key) end
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
advance(id, key)
redis.call('ZREM', KEYS[3], id)
redis.call('DEL', key, historyKey(id))
return 1`);

/**
 * ARGV[3]: now (ms), then ids. Makes undelivered ones due again with no attempts; one with an
 * ordering key rejoins its key at the end. Returns how many.
 */
export const redeliverScript = new RedisScript(`
local count = 0
for index = 4, #ARGV do
  local id = ARGV[index]
  local key = entryKey(id)
  local entry = redis.call('HMGET', key, 'state', 'failedAt', 'seq', 'orderingKey')
  if entry[1] == 'undelivered' then
    redis.call('ZREM', KEYS[4], undeliveredMember(entry[2], id))
    redis.call('HDEL', key, 'failedAt')
    redis.call('HSET', key, 'state', 'pending', 'attempts', 0, 'dueAt', ARGV[3])
    redis.call('ZADD', KEYS[3], entry[3], id)
    -- With an ordering key, at the end of the key's list: queued at once only as its head.
    if joinOrder(id, entry[4]) then queue(id, key) end
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
