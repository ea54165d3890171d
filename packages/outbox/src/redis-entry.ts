import { OutboxError } from './outbox-error.js';

/** A stream entry as Redis returns it: its id and its fields by name. */
export interface RedisEntry {
  entryId: string;
  fields: Map<string, string>;
}

function malformed(what: string): OutboxError {
  return new OutboxError('CORRUPT_RECORD', `unexpected Redis reply: ${what}`);
}

/**
 * Reads the `[[id, [field, value, …]], …]` list of XRANGE, XREADGROUP and XAUTOCLAIM replies.
 *
 * @throws {OutboxError} `CORRUPT_RECORD` for any other shape.
 */
export function readEntries(reply: unknown): RedisEntry[] {
  if (!Array.isArray(reply)) throw malformed('expected a list of entries');
  const entries: RedisEntry[] = [];
  for (const item of reply as unknown[]) {
    if (item === null) continue; // an entry deleted while pending
    if (!Array.isArray(item) || typeof item[0] !== 'string' || !Array.isArray(item[1])) {
      throw malformed('expected [id, fields]');
    }
    const flat = item[1] as unknown[];
    const fields = new Map<string, string>();
    for (let index = 0; index + 1 < flat.length; index += 2) {
      const [name, value] = [flat[index], flat[index + 1]];
      if (typeof name !== 'string' || typeof value !== 'string') throw malformed('expected string fields');
      fields.set(name, value);
    }
    entries.push({ entryId: item[0], fields });
  }
  return entries;
}

/**
 * One field of an entry.
 *
 * @throws {OutboxError} `CORRUPT_RECORD` when it is missing.
 */
export function field(entry: RedisEntry, name: string): string {
  const value = entry.fields.get(name);
  if (value === undefined) throw malformed(`entry ${entry.entryId} has no field '${name}'`);
  return value;
}

/** Flattens fields into the `field value …` arguments of XADD, leaving out undefined values. */
export function flatten(fields: Record<string, string | undefined>): string[] {
  return Object.entries(fields).flatMap(([name, value]) => (value === undefined ? [] : [name, value]));
}
