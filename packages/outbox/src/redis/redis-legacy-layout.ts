import type { Redis } from 'ioredis';
import { maxKeptAttempts } from '../outbox-store.js';
import { readEntries, readStringList, type RedisEntry } from './redis-entry.js';
import { scriptKeys, type LegacyRedisKeys, type RedisOutboxKeys } from './redis-keys.js';
import { convertLegacyRecord, readLegacyMember, type LegacyRecord } from './redis-legacy-record.js';
import { scanChunks } from './redis-scan.js';
import { RedisScript } from './redis-script.js';

const currentLayout = '2';

/**
 * KEYS 1–7 as every script's, then the previous layout's retries set, undelivered stream and
 * scheduled hash. ARGV from 3: source (`stream` | `retries` | `undelivered`), the record's place
 * there (a stream entry id, a member), id, state (`due` | `waiting` | `undelivered`), time (ms),
 * attempts, n, n field/value items, then attempt records. Removes the old record and stores it
 * in this layout, unless another store did already; returns 1 when the old record was there.
 */
const adoptScript = new RedisScript(`
local source, place, id, state, at, attempts, count = ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8], tonumber(ARGV[9])
if source == 'stream' then
  redis.call('XACK', KEYS[1], group, place)
  if redis.call('XDEL', KEYS[1], place) == 0 then return 0 end
elseif source == 'retries' then
  if redis.call('ZREM', KEYS[8], place) == 0 then return 0 end
  if redis.call('HGET', KEYS[10], id) == place then redis.call('HDEL', KEYS[10], id) end
elseif redis.call('XDEL', KEYS[9], place) == 0 then
  return 0
end
local key = entryKey(id)
if redis.call('EXISTS', key) == 1 or redis.call('ZSCORE', KEYS[5], id) then return 1 end
local seq = redis.call('INCR', KEYS[6])
redis.call('HSET', key, 'seq', seq, 'attempts', attempts, unpack(ARGV, 10, 9 + count))
for index = 10 + count, #ARGV do redis.call('RPUSH', historyKey(id), ARGV[index]) end
redis.call('LTRIM', historyKey(id), -${maxKeptAttempts}, -1)
if state == 'undelivered' then
  undeliver(id, key, at)
else
  redis.call('HSET', key, 'state', 'pending', 'dueAt', at)
  redis.call('ZADD', KEYS[3], seq, id)
  if state == 'waiting' then redis.call('ZADD', KEYS[2], at, id) else queue(id, key) wake(1) end
end
return 1`);

/**
 * ARGV from 3: delivered time (ms) and id pairs of the previous layout's delivered set. Gives
 * each id without an entry a tombstone (its time, no event), so the id stays taken until purged.
 */
const tombstoneScript = new RedisScript(`
for index = 3, #ARGV, 2 do
  local key = entryKey(ARGV[index + 1])
  if redis.call('EXISTS', key) == 0 then
    redis.call('HSET', key, 'state', 'delivered', 'deliveredAt', ARGV[index], 'tombstone', '1')
  end
end
return 1`);

/** Where the conversion runs. */
export interface LegacyLayoutTarget {
  redis: Redis;
  keys: RedisOutboxKeys;
  legacy: LegacyRedisKeys;
  group: string;
}

function isLegacyEntry(entry: RedisEntry): boolean {
  return entry.fields.has('event');
}

async function adopt(
  { redis, keys, legacy, group }: LegacyLayoutTarget,
  source: 'stream' | 'retries' | 'undelivered',
  place: string,
  record: LegacyRecord,
  state: 'due' | 'waiting' | 'undelivered',
  at: number,
): Promise<number> {
  const args = [keys.prefix, group, source, place, record.id, state, at, record.attempts, record.fields.length];
  const allKeys = [...scriptKeys(keys), legacy.retries, legacy.undelivered, legacy.scheduled];
  return Number(await adoptScript.run(redis, allKeys, [...args, ...record.fields, ...record.history]));
}

/** Converts the due and claimed entries the previous layout left in the stream. */
export async function adoptLegacyStream(target: LegacyLayoutTarget, now: Date): Promise<number> {
  const { redis, keys, legacy, group } = target;
  let converted = 0;
  const read = async (after: string | undefined, count: number): Promise<RedisEntry[]> =>
    readEntries(
      await redis.call('XRANGE', [keys.events, after === undefined ? '-' : `(${after}`, '+', 'COUNT', count]),
    );
  for await (const chunk of scanChunks(read, (entry) => entry.entryId)) {
    for (const entry of chunk.filter(isLegacyEntry)) {
      const pending = await redis
        .call('XPENDING', [keys.events, group, entry.entryId, entry.entryId, 1])
        .catch((error: unknown) => {
          if (error instanceof Error && error.message.startsWith('NOGROUP')) return [];
          throw error;
        });
      const [, , , deliveries] = Array.isArray(pending) && Array.isArray(pending[0]) ? (pending[0] as unknown[]) : [];
      const interrupted = await redis.hget(legacy.interrupted, entry.entryId);
      const record = convertLegacyRecord(entry.fields, {
        interrupted: interrupted ?? undefined,
        deliveries: typeof deliveries === 'number' ? deliveries : 0,
        now,
      });
      converted += await adopt(target, 'stream', entry.entryId, record, 'due', now.getTime());
    }
  }
  return converted;
}

/**
 * Converts whatever data the previous layout of this prefix left (due, claimed, retried,
 * scheduled, undelivered entries; delivered ids keep their place in the delivered set) and marks
 * the prefix as converted. Idempotent, and safe while another store converts the same prefix.
 * Resolves to what it converted, for `setup()`'s report.
 */
export async function upgradeLegacyLayout(target: LegacyLayoutTarget, now: Date): Promise<string[]> {
  const { redis, keys, legacy } = target;
  if ((await redis.get(keys.layout)) === currentLayout) return [];
  let converted = await adoptLegacyStream(target, now);

  for (;;) {
    const reply = readStringList(await redis.zrange(legacy.retries, 0, 499, 'WITHSCORES'));
    for (let index = 0; index + 1 < reply.length; index += 2) {
      const [member = '', score] = [reply[index], Number(reply[index + 1])];
      const record = convertLegacyRecord(readLegacyMember(member));
      converted += await adopt(target, 'retries', member, record, 'waiting', score);
    }
    if (reply.length < 1000) break;
  }

  if ((await redis.type(legacy.undelivered)) === 'stream') {
    const read = async (after: string | undefined, count: number): Promise<RedisEntry[]> =>
      readEntries(await redis.xrange(legacy.undelivered, after === undefined ? '-' : `(${after}`, '+', 'COUNT', count));
    for await (const chunk of scanChunks(read, (entry) => entry.entryId)) {
      for (const entry of chunk) {
        const failedAt = Number(entry.fields.get('failedAt') ?? now.getTime());
        const record = convertLegacyRecord(entry.fields);
        converted += await adopt(target, 'undelivered', entry.entryId, record, 'undelivered', failedAt);
      }
    }
  }

  for (let start = 0; ; start += 1000) {
    const reply = readStringList(await redis.zrange(keys.delivered, start, start + 999, 'WITHSCORES'));
    const pairs: string[] = [];
    for (let index = 0; index + 1 < reply.length; index += 2) pairs.push(reply[index + 1] ?? '', reply[index] ?? '');
    if (pairs.length > 0) await tombstoneScript.run(redis, scriptKeys(keys), [keys.prefix, target.group, ...pairs]);
    if (reply.length < 2000) break;
  }

  const done = await redis
    .multi()
    .del(legacy.ids, legacy.interrupted, legacy.scheduled)
    .eval(
      `if redis.call('ZCARD', KEYS[1]) == 0 then redis.call('DEL', KEYS[1]) end
       if redis.call('TYPE', KEYS[2]).ok == 'stream' and redis.call('XLEN', KEYS[2]) == 0 then redis.call('DEL', KEYS[2]) end
       return 1`,
      2,
      legacy.retries,
      legacy.undelivered,
    )
    .set(keys.layout, currentLayout)
    .exec();
  const failure = done?.find(([error]) => error !== null)?.[0];
  if (failure !== undefined && failure !== null) throw failure;
  return converted === 0 ? [] : [`${converted} entries of the previous Redis layout converted`];
}
