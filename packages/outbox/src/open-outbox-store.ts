import { existsSync } from 'node:fs';
import type { RedisOptions } from 'ioredis';
import { OutboxError } from './outbox-error.js';
import type { OutboxStore } from './outbox-store.js';
import { PostgresOutboxStore } from './postgres-outbox-store.js';
import { RedisOutboxStore } from './redis-outbox-store.js';
import { SqliteOutboxStore } from './sqlite-outbox-store.js';

/** Options of {@link openOutboxStore}, each for the stores it applies to. */
export interface OpenOutboxStoreOptions {
  /** SQLite and PostgreSQL: the table, `outbox_events` by default. */
  table?: string;
  /** Redis: the key prefix, `outbox` by default. */
  prefix?: string;
  /** Redis: extra ioredis options. */
  redisOptions?: RedisOptions;
  /**
   * SQLite: refuse a file that does not exist instead of creating an empty outbox there, as a tool
   * that reads or repairs an existing outbox should (a mistyped path is then an error, not an
   * empty store).
   */
  mustExist?: boolean;
}

/**
 * Opens the store a location names, as configuration files and command lines give it:
 * `sqlite:<file>` (or a path ending in `.db`, `.sqlite`, `.sqlite3`), `redis://…`/`rediss://…`,
 * or `postgres://…`/`postgresql://…`. The store owns what it opens.
 *
 * @throws {OutboxError} `INVALID_OPTIONS` for a location it does not recognize, or a SQLite file
 * that does not exist when `mustExist` is set.
 */
export function openOutboxStore(location: string, options: OpenOutboxStoreOptions = {}): OutboxStore {
  const { table, prefix, redisOptions, mustExist } = options;
  if (/^rediss?:\/\//i.test(location)) {
    return new RedisOutboxStore({
      redis: location,
      ...(prefix === undefined ? {} : { prefix }),
      ...(redisOptions === undefined ? {} : { redisOptions }),
    });
  }
  if (/^postgres(ql)?:\/\//i.test(location)) {
    return new PostgresOutboxStore({ pool: location, ...(table === undefined ? {} : { table }) });
  }
  const explicit = location.startsWith('sqlite:');
  const filename = explicit ? location.slice('sqlite:'.length) : location;
  if (filename === '' || (!explicit && !/\.(db|sqlite3?)$/i.test(filename))) {
    throw new OutboxError(
      'INVALID_OPTIONS',
      `an outbox store is sqlite:<file>, redis://… or postgres://…, got '${location}'`,
    );
  }
  if (mustExist === true && !existsSync(filename)) {
    throw new OutboxError('INVALID_OPTIONS', `no SQLite outbox at ${filename}: the file does not exist`);
  }
  return new SqliteOutboxStore({ filename, ...(table === undefined ? {} : { table }) });
}
