// Lua scripts of the Redis store. Each runs atomically, so an entry is never in two places and
// never in none. A claim is owned while its entry is in the consumer group's pending list under
// the claiming consumer; once another consumer took it over (XAUTOCLAIM), the old claim's marks
// change nothing and return 0.

const owned = `
local pending = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[2], ARGV[2], 1)
if pending[1] == nil or pending[1][2] ~= ARGV[3] then return 0 end
`;

/** KEYS: stream, delivered zset. ARGV: group, entry id, owner, event id, delivered at (ms). */
export const markDeliveredScript = `${owned}
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
redis.call('XDEL', KEYS[1], ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[5], ARGV[4])
return 1`;

/** KEYS: stream, delayed zset. ARGV: group, entry id, owner, next attempt at (ms), delayed member. */
export const markFailedScript = `${owned}
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
redis.call('XDEL', KEYS[1], ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[5])
return 1`;

/** KEYS: stream, undelivered stream. ARGV: group, entry id, owner, then field/value pairs. */
export const moveToUndeliveredScript = `${owned}
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
redis.call('XDEL', KEYS[1], ARGV[2])
redis.call('XADD', KEYS[2], '*', unpack(ARGV, 4))
return 1`;

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
