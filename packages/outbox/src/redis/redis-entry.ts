import { OutboxError } from '../outbox-error.js';

/** A stream entry as Redis returns it: its id and its fields by name. */
export interface RedisEntry {
  entryId: string;
  fields: Map<string, string>;
}

/** The error of a Redis reply or record that is not what the store wrote. */
export function malformed(what: string): OutboxError {
  return new OutboxError('CORRUPT_RECORD', `unexpected Redis reply: ${what}`);
}

/**
 * Reads a flat `[field, value, …]` list (HGETALL, a stream entry's fields) into a map.
 *
 * @throws {OutboxError} `CORRUPT_RECORD` for any other shape.
 */
export function readFieldList(reply: unknown): Map<string, string> {
  if (!Array.isArray(reply)) throw malformed('expected a list of fields');
  const flat = reply as unknown[];
  const fields = new Map<string, string>();
  for (let index = 0; index + 1 < flat.length; index += 2) {
    const [name, value] = [flat[index], flat[index + 1]];
    if (typeof name !== 'string' || typeof value !== 'string') throw malformed('expected string fields');
    fields.set(name, value);
  }
  return fields;
}

/**
 * Reads a list of strings (LRANGE, ZRANGE).
 *
 * @throws {OutboxError} `CORRUPT_RECORD` for any other shape.
 */
export function readStringList(reply: unknown): string[] {
  if (!Array.isArray(reply) || !reply.every((item) => typeof item === 'string')) {
    throw malformed('expected a list of strings');
  }
  return reply;
}

/**
 * Reads the `[[id, [field, value, …]], …]` list of XRANGE and XREADGROUP replies.
 *
 * @throws {OutboxError} `CORRUPT_RECORD` for any other shape.
 */
export function readEntries(reply: unknown): RedisEntry[] {
  if (!Array.isArray(reply)) throw malformed('expected a list of entries');
  const entries: RedisEntry[] = [];
  for (const item of reply as unknown[]) {
    if (item === null) continue; // an entry deleted while pending
    if (!Array.isArray(item) || typeof item[0] !== 'string') throw malformed('expected [id, fields]');
    entries.push({ entryId: item[0], fields: readFieldList(item[1]) });
  }
  return entries;
}

/**
 * One field of a record.
 *
 * @throws {OutboxError} `CORRUPT_RECORD` when it is missing.
 */
export function field(fields: ReadonlyMap<string, string>, name: string, of: string): string {
  const value = fields.get(name);
  if (value === undefined) throw malformed(`${of} has no field '${name}'`);
  return value;
}

/** Flattens fields into `field value …` arguments (HSET, XADD), leaving out undefined values. */
export function flatten(fields: Record<string, string | undefined>): string[] {
  return Object.entries(fields).flatMap(([name, value]) => (value === undefined ? [] : [name, value]));
}
