// Lua scripts of the Redis store. Each runs atomically, so an entry is never in two places and
// never in none. A claim is owned while its entry is in the consumer group's pending list under
// the claiming consumer; once another consumer took it over (XAUTOCLAIM), the old claim's marks
// change nothing and return 0. The interrupted hash keeps, per pending entry, the LEASE_EXPIRED
// errors of its claims that expired; whatever ends an entry's claim removes its field.

const owned = `
local pending = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[2], ARGV[2], 1)
if pending[1] == nil or pending[1][2] ~= ARGV[3] then return 0 end
`;

const release = `
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
redis.call('XDEL', KEYS[1], ARGV[2])
redis.call('HDEL', KEYS[3], ARGV[2])
`;

/** KEYS: stream, delivered zset, interrupted hash. ARGV: group, entry id, owner, event id, delivered at (ms). */
export const markDeliveredScript = `${owned}${release}
redis.call('ZADD', KEYS[2], ARGV[5], ARGV[4])
return 1`;

/** KEYS: stream, delayed zset, interrupted hash. ARGV: group, entry id, owner, next attempt at (ms), delayed member. */
export const markFailedScript = `${owned}${release}
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[5])
return 1`;

/** KEYS: stream, undelivered stream, interrupted hash. ARGV: group, entry id, owner, then field/value pairs. */
export const moveToUndeliveredScript = `${owned}${release}
redis.call('XADD', KEYS[2], '*', unpack(ARGV, 4))
return 1`;

/**
 * KEYS: stream, undelivered stream, interrupted hash. ARGV: group, owner, lease (ms), then per
 * entry whose lease expired: entry id, consumer, delivery count, action, n, and n values. Each
 * acts only if the entry is still pending under that consumer with that delivery count and idle
 * past the lease (what the relay read before), so two relays never both act on one expiry.
 * `undelivered` moves it to the undelivered stream (the values: its fields); `forget` drops an
 * entry deleted from the stream; `reclaim` claims it for `owner` and stores its LEASE_EXPIRED
 * errors (the one value), for the first such entry only. Returns 1 or 0 per entry.
 */
export const reclaimScript = `
local group, owner, lease = ARGV[1], ARGV[2], ARGV[3]
local results, claimed, index = {}, false, 4
while index <= #ARGV do
  local id, consumer, deliveries, action = ARGV[index], ARGV[index + 1], tonumber(ARGV[index + 2]), ARGV[index + 3]
  local first, count = index + 5, tonumber(ARGV[index + 4])
  index = first + count
  local pending = redis.call('XPENDING', KEYS[1], group, 'IDLE', lease, id, id, 1)[1]
  local done = 0
  if pending ~= nil and pending[2] == consumer and pending[4] == deliveries and not (action == 'reclaim' and claimed) then
    if action == 'reclaim' then
      redis.call('XCLAIM', KEYS[1], group, owner, lease, id)
      redis.call('HSET', KEYS[3], id, ARGV[first])
      claimed = true
    else
      redis.call('XACK', KEYS[1], group, id)
      redis.call('XDEL', KEYS[1], id)
      redis.call('HDEL', KEYS[3], id)
      if action == 'undelivered' then redis.call('XADD', KEYS[2], '*', unpack(ARGV, first, index - 1)) end
    end
    done = 1
  end
  results[#results + 1] = done
end
return results`;

/**
 * KEYS: stream, delayed zset, scheduled hash. ARGV: now (ms), limit. Moves due retries and
 * scheduled events into the stream; a scheduled event is no longer cancellable once there.
 */
export const promoteScript = `
local due = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
for _, member in ipairs(due) do
  local fields = cjson.decode(member)
  redis.call('XADD', KEYS[1], '*', unpack(fields))
  redis.call('ZREM', KEYS[2], member)
  if redis.call('HGET', KEYS[3], fields[2]) == member then redis.call('HDEL', KEYS[3], fields[2]) end
end
return #due`;

/**
 * KEYS: ids set, then the stream (due now), the delayed zset (scheduled) or the undelivered
 * stream (failed). ARGV: event id, where ('due' | 'scheduled' | 'undelivered'), score, then the
 * field/value pairs; for 'scheduled' KEYS[3] is the scheduled hash. An id already stored is ignored.
 */
export const enqueueScript = `
if redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 0 end
if ARGV[2] == 'scheduled' then
  local member = cjson.encode({unpack(ARGV, 4)})
  redis.call('ZADD', KEYS[2], ARGV[3], member)
  redis.call('HSET', KEYS[3], ARGV[1], member)
else
  redis.call('XADD', KEYS[2], '*', unpack(ARGV, 4))
end
return 1`;

/** KEYS: delayed zset, scheduled hash, ids set. ARGV: event id. Withdraws a scheduled event. */
export const cancelScript = `
local member = redis.call('HGET', KEYS[2], ARGV[1])
if not member then return 0 end
redis.call('HDEL', KEYS[2], ARGV[1])
if redis.call('ZREM', KEYS[1], member) == 0 then return 0 end
redis.call('SREM', KEYS[3], ARGV[1])
return 1`;

/** KEYS: delivered zset, ids set. ARGV: before (ms, exclusive). Forgets delivered events and their ids. */
export const purgeScript = `
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[1])
for _, id in ipairs(ids) do redis.call('SREM', KEYS[2], id) end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[1])
return #ids`;

/** KEYS: undelivered stream, stream. ARGV: undelivered entry id, then field/value pairs. */
export const redeliverScript = `
if redis.call('XDEL', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('XADD', KEYS[2], '*', unpack(ARGV, 2))
return 1`;
