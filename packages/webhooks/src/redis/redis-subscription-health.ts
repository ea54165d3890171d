import type { EndpointHealth } from '../endpoint-health.js';

/**
 * ARGV: prefix, id, delivered (`1`/`0`), at (ms since the epoch), count (deliveries counted at once). Counts an attempt in the
 * endpoint's health hash `<prefix>:health:<id>` atomically, only while the subscription exists;
 * returns the hash's fields and values, or an empty list for an unknown subscription.
 */
export const recordHealthScript = `
local prefix, id, delivered, at, count = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5] or '1')
if redis.call('EXISTS', prefix .. ':subscription:' .. id) == 0 then return {} end
local key = prefix .. ':health:' .. id
local function later(field)
  local current = tonumber(redis.call('HGET', key, field))
  if current == nil or current < at then redis.call('HSET', key, field, ARGV[4]) end
end
if delivered == '1' then
  redis.call('HINCRBY', key, 'delivered', count)
  redis.call('HSET', key, 'consecutiveFailures', 0)
  redis.call('HDEL', key, 'failingSince')
  later('lastDeliveredAt')
else
  redis.call('HINCRBY', key, 'failed', 1)
  redis.call('HINCRBY', key, 'consecutiveFailures', 1)
  if redis.call('HEXISTS', key, 'failingSince') == 0 then redis.call('HSET', key, 'failingSince', ARGV[4]) end
  later('lastFailedAt')
end
return redis.call('HGETALL', key)
`;

/** ARGV: prefix. The ids of every subscription and their health hashes' fields, those with one. */
export const listHealthScript = `
local prefix = ARGV[1]
local found = {}
for _, id in ipairs(redis.call('ZRANGE', prefix .. ':all', 0, -1)) do
  local fields = redis.call('HGETALL', prefix .. ':health:' .. id)
  if #fields > 0 then
    found[#found + 1] = id
    found[#found + 1] = fields
  end
end
return found
`;

function isoOf(ms: string | undefined): string | undefined {
  return ms === undefined ? undefined : new Date(Number(ms)).toISOString();
}

/** A health hash's flat `[field, value, …]` list (HGETALL's reply in Lua) as an {@link EndpointHealth}. */
export function healthOfFields(subscriptionId: string, fields: readonly string[]): EndpointHealth {
  const hash = new Map<string, string>();
  for (let index = 0; index + 1 < fields.length; index += 2) {
    const [field, value] = [fields[index], fields[index + 1]];
    if (field !== undefined && value !== undefined) hash.set(field, value);
  }
  return healthOfHash(subscriptionId, Object.fromEntries(hash));
}

/** A health hash (as ioredis's `hgetall` gives it) as an {@link EndpointHealth}. */
export function healthOfHash(subscriptionId: string, hash: Readonly<Record<string, string>>): EndpointHealth {
  const failingSince = isoOf(hash.failingSince);
  const lastDeliveredAt = isoOf(hash.lastDeliveredAt);
  const lastFailedAt = isoOf(hash.lastFailedAt);
  return {
    subscriptionId,
    consecutiveFailures: Number(hash.consecutiveFailures ?? 0),
    ...(failingSince === undefined ? {} : { failingSince }),
    ...(lastDeliveredAt === undefined ? {} : { lastDeliveredAt }),
    ...(lastFailedAt === undefined ? {} : { lastFailedAt }),
    delivered: Number(hash.delivered ?? 0),
    failed: Number(hash.failed ?? 0),
  };
}
