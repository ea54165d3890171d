import type { Redis } from 'ioredis';
import type { StoredEntry } from '../outbox-store.js';
import { malformed } from './redis-entry.js';
import { readStoredEntry } from './redis-record.js';
import { pageScript } from './redis-scripts.js';

/** How many items one round trip of a scan reads. */
export const scanChunkSize = 500;

/**
 * The one way the store walks a long range (an index of entries, a stream of the previous
 * layout): a chunk at a time, each chunk read after the last position of the one before, until a
 * chunk comes back short. Items removed behind the scan do not disturb it.
 */
export async function* scanChunks<TItem>(
  read: (after: string | undefined, count: number) => Promise<TItem[]>,
  positionOf: (item: TItem) => string,
  chunkSize = scanChunkSize,
): AsyncGenerator<TItem[]> {
  let after: string | undefined;
  for (;;) {
    const chunk = await read(after, chunkSize);
    if (chunk.length > 0) yield chunk;
    const last = chunk.at(-1);
    if (chunk.length < chunkSize || last === undefined) return;
    after = positionOf(last);
  }
}

/** A range of one of the store's indexes. */
export interface IndexRange {
  /** The pending index (by score: sequence numbers) or the undelivered index (by lex: members). */
  index: string;
  by: 'BYSCORE' | 'BYLEX';
  /** The first position, as ZRANGE takes it (`-inf`, `(12`, `-`, `[0001…`). */
  start: string;
  /** The last position, as ZRANGE takes it. */
  end: string;
}

/** An entry found by a scan, with its position in the index (the cursor that follows it). */
export interface IndexedEntry {
  position: string;
  entry: StoredEntry;
}

/** Walks the entries of an index range, oldest first, a chunk (one script call) at a time. */
export function scanIndex(
  redis: Redis,
  prefix: string,
  range: IndexRange,
  chunkSize = scanChunkSize,
): AsyncGenerator<IndexedEntry[]> {
  const read = async (after: string | undefined, count: number): Promise<IndexedEntry[]> => {
    const start = after === undefined ? range.start : `(${after}`;
    const reply = await pageScript.run(redis, [range.index], [prefix, '', range.by, start, range.end, count]);
    if (!Array.isArray(reply)) throw malformed('expected a page of entries');
    return (reply as unknown[]).map((item) => {
      const [position, id, hash, history] = Array.isArray(item) ? (item as unknown[]) : [];
      if (typeof position !== 'string' || typeof id !== 'string') throw malformed('expected [position, id, …]');
      return { position, entry: readStoredEntry(id, hash, history) };
    });
  };
  return scanChunks(read, (item) => item.position, chunkSize);
}
