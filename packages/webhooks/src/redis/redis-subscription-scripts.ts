/**
 * The Lua scripts of the Redis subscription store. Each runs atomically, so the (event type,
 * target URL) index and the sets beside a subscription never disagree, and two concurrent inserts
 * to one target cannot both succeed. Keys are derived from the prefix (ARGV[1]):
 *
 * - `<prefix>:subscription:<id>`: a hash (`document`, `eventType`, `target`, `active`, `seq`);
 * - `<prefix>:targets`: a hash from the target field (event type and URL as JSON) to the id;
 * - `<prefix>:all`, `<prefix>:type:<event type>`, `<prefix>:active:<event type>`: sorted sets of
 *   ids, scored by `<prefix>:sequence`, so listings come oldest first;
 * - `<prefix>:health:<id>`: a hash of the endpoint's health (see `redis-subscription-health.ts`).
 */

/** ARGV: prefix, id, event type, target field, active (`1`/`0`), document. */
export const insertSubscriptionScript = `
local prefix, id, eventType, target, active, document = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
local key = prefix .. ':subscription:' .. id
if redis.call('EXISTS', key) == 1 then return {'id'} end
local holder = redis.call('HGET', prefix .. ':targets', target)
if holder then return {'target', holder} end
local seq = redis.call('INCR', prefix .. ':sequence')
redis.call('HSET', key, 'document', document, 'eventType', eventType, 'target', target, 'active', active, 'seq', seq)
redis.call('HSET', prefix .. ':targets', target, id)
redis.call('ZADD', prefix .. ':all', seq, id)
redis.call('ZADD', prefix .. ':type:' .. eventType, seq, id)
if active == '1' then redis.call('ZADD', prefix .. ':active:' .. eventType, seq, id) end
return {'ok'}
`;

/** Replaces the subscription's hash, target and set entries; `guard` may return early before anything changes. */
function replaceWith(guard: string): string {
  return `
local prefix, id, eventType, target, active, document = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
local key = prefix .. ':subscription:' .. id
local old = redis.call('HMGET', key, 'eventType', 'target', 'seq', 'document')
if not old[3] then return {'missing'} end
${guard}
local holder = redis.call('HGET', prefix .. ':targets', target)
if holder and holder ~= id then return {'target', holder} end
redis.call('HDEL', prefix .. ':targets', old[2])
redis.call('HSET', prefix .. ':targets', target, id)
redis.call('ZREM', prefix .. ':type:' .. old[1], id)
redis.call('ZREM', prefix .. ':active:' .. old[1], id)
redis.call('ZADD', prefix .. ':type:' .. eventType, old[3], id)
if active == '1' then redis.call('ZADD', prefix .. ':active:' .. eventType, old[3], id) end
redis.call('HSET', key, 'document', document, 'eventType', eventType, 'target', target, 'active', active)
return {'ok'}
`;
}

/** ARGV as {@link insertSubscriptionScript}'s; keeps the subscription's place in every listing. */
export const replaceSubscriptionScript = replaceWith('');

/** ARGV as {@link replaceSubscriptionScript}'s, then the document expected: replaces only if it is still stored. */
export const replaceSubscriptionIfScript = replaceWith("if old[4] ~= ARGV[7] then return {'changed'} end");

/** ARGV: prefix, id. Returns 1 when the subscription was there. */
export const deleteSubscriptionScript = `
local prefix, id = ARGV[1], ARGV[2]
local key = prefix .. ':subscription:' .. id
local old = redis.call('HMGET', key, 'eventType', 'target')
if not old[1] then return 0 end
if redis.call('HGET', prefix .. ':targets', old[2]) == id then redis.call('HDEL', prefix .. ':targets', old[2]) end
redis.call('ZREM', prefix .. ':all', id)
redis.call('ZREM', prefix .. ':type:' .. old[1], id)
redis.call('ZREM', prefix .. ':active:' .. old[1], id)
redis.call('DEL', key, prefix .. ':health:' .. id)
return 1
`;

/** ARGV: prefix, the sorted set's key. The documents of its ids, in score order, in one round trip. */
export const listSubscriptionsScript = `
local prefix = ARGV[1]
local ids = redis.call('ZRANGE', ARGV[2], 0, -1)
local documents = {}
for _, id in ipairs(ids) do
  local document = redis.call('HGET', prefix .. ':subscription:' .. id, 'document')
  if document then documents[#documents + 1] = document end
end
return documents
`;
