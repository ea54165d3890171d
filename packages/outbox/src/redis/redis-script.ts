import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

// Every script starts with these: ARGV[1] is the prefix, from which a script names an entry's
// own keys, and ARGV[2] the relays' consumer group. KEYS are those of `scriptKeys`.
const prelude = `
local prefix, group = ARGV[1], ARGV[2]
local function entryKey(id) return prefix .. ':entry:' .. id end
local function historyKey(id) return prefix .. ':history:' .. id end
local function undeliveredMember(ms, id) return string.format('%015d', tonumber(ms)) .. '|' .. id end
local function wake(count)
  if count <= 0 then return end
  local tokens = {}
  for index = 1, math.min(count, 8) do tokens[index] = '1' end
  redis.call('LPUSH', KEYS[7], unpack(tokens))
  redis.call('LTRIM', KEYS[7], 0, 7)
end
-- Runs a command whose arguments are \`head\` then \`items\`, in chunks Lua's stack can take
-- (even-sized, so pairs stay together), and none for no items.
local function bulk(head, items)
  for first = 1, #items, 4000 do
    local args = {unpack(head)}
    for index = first, math.min(first + 3999, #items) do args[#args + 1] = items[index] end
    redis.call(unpack(args))
  end
end
local function queue(id, key)
  local streamId = redis.call('XADD', KEYS[1], '*', 'id', id)
  redis.call('HSET', key, 'stream', streamId)
  return streamId
end
local function release(key, streamId)
  redis.call('XACK', KEYS[1], group, streamId)
  redis.call('XDEL', KEYS[1], streamId)
  redis.call('HDEL', key, 'stream', 'claim', 'leaseEnd', 'leaseEndAt')
end
-- Ordered delivery: the pending entries of an ordering key are a list, \`<prefix>:order:<key>\`,
-- in enqueue order. Only its head is queued (in the stream or the waiting set); the others wait
-- in the list alone, unclaimable, until the head leaves pending.
local function orderKey(orderingKey) return prefix .. ':order:' .. orderingKey end
-- Adds an entry to the end of its key's list; true when it may be queued now (no key, or the head).
local function joinOrder(id, orderingKey)
  if not orderingKey or orderingKey == '' then return true end
  return redis.call('RPUSH', orderKey(orderingKey), id) == 1
end
-- After an entry left pending (delivered, undelivered, cancelled): out of its key's list, and
-- the next entry of the key joins the waiting set at its due time, for the next claim to queue.
local function advance(id, key)
  local orderingKey = redis.call('HGET', key, 'orderingKey')
  if not orderingKey or orderingKey == '' then return end
  local list = orderKey(orderingKey)
  if redis.call('LINDEX', list, 0) ~= id then
    redis.call('LREM', list, 1, id)
    return
  end
  redis.call('LPOP', list)
  local nextId = redis.call('LINDEX', list, 0)
  if nextId then
    redis.call('ZADD', KEYS[2], redis.call('HGET', entryKey(nextId), 'dueAt') or '0', nextId)
    wake(1)
  end
end
local function undeliver(id, key, failedAt)
  redis.call('HSET', key, 'state', 'undelivered', 'failedAt', failedAt)
  redis.call('HDEL', key, 'dueAt')
  redis.call('ZREM', KEYS[3], id)
  redis.call('ZADD', KEYS[4], 0, undeliveredMember(failedAt, id))
  advance(id, key)
end
`;

/**
 * A Lua script run by its SHA-1 (`EVALSHA`), sent whole only when the server does not know it
 * yet (after a restart or `SCRIPT FLUSH`), so a call sends just its arguments.
 */
export class RedisScript {
  readonly source: string;
  readonly #sha: string;

  constructor(body: string) {
    this.source = `${prelude}${body}`;
    this.#sha = createHash('sha1').update(this.source).digest('hex');
  }

  /** Runs the script with `keys` and `args` (after the prefix and group). */
  async run(redis: Redis, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    try {
      return await redis.evalsha(this.#sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error && error.message.startsWith('NOSCRIPT'))) throw error;
      return await redis.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}
