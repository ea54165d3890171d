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

/** KEYS: stream, delayed zset. ARGV: now (ms), limit. Moves due retries back into the stream. */
export const promoteScript = `
local due = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
for _, member in ipairs(due) do
  redis.call('XADD', KEYS[1], '*', unpack(cjson.decode(member)))
  redis.call('ZREM', KEYS[2], member)
end
return #due`;

/** KEYS: undelivered stream, stream. ARGV: undelivered entry id, then field/value pairs. */
export const redeliverScript = `
if redis.call('XDEL', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('XADD', KEYS[2], '*', unpack(ARGV, 2))
return 1`;
