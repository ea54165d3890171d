import type { Redis } from 'ioredis';
import { OutboxError } from '../outbox-error.js';
import type {
  ListPendingOptions,
  ListUndeliveredOptions,
  Page,
  PendingEvent,
  RedeliverSelection,
  StoredEntry,
  UndeliveredEvent,
  UndeliveredFilter,
  UndeliveredPage,
} from '../outbox-store.js';
import { checkLimit, matchesFilter, readSequenceCursor } from '../stored-record.js';
import { failedAtPosition, type RedisOutboxKeys } from './redis-keys.js';
import { scanChunkSize, scanIndex, type IndexedEntry, type IndexRange } from './redis-scan.js';

// The operators' views of a Redis outbox, all read through `scanIndex`: pending entries in
// enqueue order (the pending index, by sequence number), undelivered ones in failure order
// (the undelivered index, whose members start with the failure time).

/** Collects one page from a scan: at most `limit` selected entries, and the cursor after them. */
async function collectPage<TEntry extends StoredEntry>(
  scan: AsyncGenerator<IndexedEntry[]>,
  limit: number,
  select: (entry: StoredEntry) => entry is TEntry,
): Promise<Page<TEntry>> {
  const found: { position: string; entry: TEntry }[] = [];
  outer: for await (const chunk of scan) {
    for (const { position, entry } of chunk) {
      if (!select(entry)) continue;
      found.push({ position, entry });
      if (found.length > limit) break outer;
    }
  }
  const page = found.slice(0, limit);
  return {
    events: page.map((item) => item.entry),
    nextCursor: found.length > limit ? page.at(-1)?.position : undefined,
  };
}

/** A page of pending entries, oldest first, of one topic when asked. */
export function listPendingPage(
  redis: Redis,
  keys: RedisOutboxKeys,
  options: ListPendingOptions,
): Promise<Page<PendingEvent>> {
  const limit = checkLimit(options.limit);
  const start = options.cursor === undefined ? '-inf' : `(${readSequenceCursor(options.cursor)}`;
  const range: IndexRange = { index: keys.pending, by: 'BYSCORE', start, end: '+inf' };
  const chunk = options.topic === undefined ? Math.min(scanChunkSize, limit + 1) : scanChunkSize;
  return collectPage(
    scanIndex(redis, keys.prefix, range, chunk),
    limit,
    (entry): entry is PendingEvent =>
      entry.state === 'pending' && (options.topic === undefined || entry.topic === options.topic),
  );
}

/** The part of the undelivered index a filter (and a page's cursor) covers. */
function undeliveredRange(keys: RedisOutboxKeys, filter: UndeliveredFilter, cursor?: string): IndexRange {
  const since = filter.since === undefined ? undefined : failedAtPosition(filter.since.getTime());
  let start = since === undefined ? '-' : `[${since}`;
  if (cursor !== undefined) {
    if (!/^\d{15}\|/.test(cursor)) {
      throw new OutboxError('INVALID_OPTIONS', `cursor '${cursor}' is not one this store gave as nextCursor`);
    }
    if (since === undefined || cursor >= since) start = `(${cursor}`;
  }
  const end = filter.until === undefined ? '+' : `(${failedAtPosition(filter.until.getTime())}`;
  return { index: keys.undelivered, by: 'BYLEX', start, end };
}

function selectsUndelivered(filter: UndeliveredFilter): (entry: StoredEntry) => entry is UndeliveredEvent {
  return (entry): entry is UndeliveredEvent =>
    entry.state === 'undelivered' &&
    entry.failedAt !== undefined &&
    matchesFilter(filter, entry.topic, entry.failedAt.getTime());
}

/** A page of undelivered entries, oldest failure first, matching the filter. */
export function listUndeliveredPage(
  redis: Redis,
  keys: RedisOutboxKeys,
  options: ListUndeliveredOptions,
): Promise<UndeliveredPage> {
  const limit = checkLimit(options.limit);
  const range = undeliveredRange(keys, options, options.cursor);
  const filtered = options.topic !== undefined;
  const chunk = filtered ? scanChunkSize : Math.min(scanChunkSize, limit + 1);
  return collectPage(scanIndex(redis, keys.prefix, range, chunk), limit, selectsUndelivered(options));
}

/**
 * Runs `act` on the ids of the undelivered entries a selection names, a chunk at a time (each
 * one script call), and adds up what it reports.
 */
export async function actOnUndelivered(
  redis: Redis,
  keys: RedisOutboxKeys,
  selection: RedeliverSelection,
  act: (ids: string[]) => Promise<number>,
): Promise<number> {
  let count = 0;
  if ('ids' in selection) {
    for (let index = 0; index < selection.ids.length; index += scanChunkSize) {
      count += await act(selection.ids.slice(index, index + scanChunkSize));
    }
    return count;
  }
  const select = selectsUndelivered(selection);
  for await (const chunk of scanIndex(redis, keys.prefix, undeliveredRange(keys, selection))) {
    const ids = chunk.filter(({ entry }) => select(entry)).map(({ entry }) => entry.id);
    if (ids.length > 0) count += await act(ids);
  }
  return count;
}
