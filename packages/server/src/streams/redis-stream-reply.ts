/** One stream entry as Redis answers it: its id and its fields as a flat `[name, value, …]` list. */
export interface RedisStreamEntry {
  readonly id: string;
  readonly fields: readonly string[];
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/** The entries of an `XREADGROUP`/`XAUTOCLAIM` reply list, skipping deleted ones (no fields). */
export function entriesOf(list: unknown): RedisStreamEntry[] {
  if (!Array.isArray(list)) return [];
  const entries: RedisStreamEntry[] = [];
  for (const item of list as unknown[]) {
    if (!Array.isArray(item)) continue;
    const [id, fields] = item as unknown[];
    if (typeof id === 'string' && isStringList(fields)) entries.push({ id, fields });
  }
  return entries;
}

/** The entries of an `XREADGROUP … STREAMS <one stream> >` reply (`null` when there were none). */
export function readGroupEntries(reply: unknown): RedisStreamEntry[] {
  if (!Array.isArray(reply)) return [];
  const [first] = reply as unknown[];
  return Array.isArray(first) ? entriesOf((first as unknown[])[1]) : [];
}

/** The next cursor and the entries of an `XAUTOCLAIM` reply. */
export function autoClaimReply(reply: unknown): { cursor: string; entries: RedisStreamEntry[] } {
  if (!Array.isArray(reply)) return { cursor: '0-0', entries: [] };
  const [cursor, list] = reply as unknown[];
  return { cursor: typeof cursor === 'string' ? cursor : '0-0', entries: entriesOf(list) };
}

/** The delivery count of the one entry an `XPENDING <key> <group> <id> <id> 1` reply lists, or 1. */
export function deliveryCountOf(reply: unknown): number {
  if (!Array.isArray(reply)) return 1;
  const [row] = reply as unknown[];
  const count = Array.isArray(row) ? (row as unknown[])[3] : undefined;
  return typeof count === 'number' && count >= 1 ? count : 1;
}

/** When a stream entry was added, from its id (`<ms>-<seq>`). */
export function entryTime(id: string): number | undefined {
  const ms = Number(id.slice(0, id.indexOf('-')));
  return Number.isSafeInteger(ms) && ms > 0 ? ms : undefined;
}
