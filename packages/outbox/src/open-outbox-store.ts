import { existsSync } from 'node:fs';
import { OutboxError } from './outbox-error.js';
import type { OutboxLogger } from './outbox-logger.js';
import type { OutboxStore } from './outbox-store.js';
import type * as PostgresModule from './postgres/index.js';
import type * as RedisModule from './redis/index.js';
import type * as SqliteModule from './sqlite/index.js';

/** Options of {@link openOutboxStore}, each for the stores it applies to. */
export interface OpenOutboxStoreOptions {
  /** SQLite and PostgreSQL: the table, `outbox_events` by default. */
  table?: string;
  /** Redis: the key prefix, `outbox` by default. */
  prefix?: string;
  /** Redis: extra ioredis options (`RedisOptions`). */
  redisOptions?: Readonly<Record<string, unknown>>;
  /**
   * SQLite: refuse a file that does not exist instead of creating an empty outbox there, as a tool
   * that reads or repairs an existing outbox should (a mistyped path is then an error, not an
   * empty store).
   */
  mustExist?: boolean;
  /** PostgreSQL and Redis: where connection trouble is logged. */
  logger?: OutboxLogger;
}

/** How each store's subpath is loaded; replaced only by tests of a driver that is not installed. @internal */
export interface StoreModules {
  sqlite: () => Promise<typeof SqliteModule>;
  postgres: () => Promise<typeof PostgresModule>;
  redis: () => Promise<typeof RedisModule>;
}

const storeModules: StoreModules = {
  sqlite: () => import('./sqlite/index.js'),
  postgres: () => import('./postgres/index.js'),
  redis: () => import('./redis/index.js'),
};

const drivers = { sqlite: 'better-sqlite3', postgres: 'pg', redis: 'ioredis' } as const;
const storeNames = { sqlite: 'SQLite', postgres: 'PostgreSQL', redis: 'Redis' } as const;

/**
 * Opens the store a location names, as configuration files and command lines give it:
 * `sqlite:<file>` (or a path ending in `.db`, `.sqlite`, `.sqlite3`), `redis://…`/`rediss://…`,
 * or `postgres://…`/`postgresql://…`. Only that store's module and its driver are loaded (the
 * drivers are optional peer dependencies). The store owns what it opens.
 *
 * @example
 * const store = await openOutboxStore(process.env.OUTBOX ?? 'sqlite:outbox.db');
 *
 * @throws {OutboxError} `INVALID_OPTIONS` for a location it does not recognize, a SQLite file
 * that does not exist when `mustExist` is set, or a store whose driver is not installed (the
 * message names the package to install).
 */
export function openOutboxStore(location: string, options: OpenOutboxStoreOptions = {}): Promise<OutboxStore> {
  return openOutboxStoreWith(location, options, storeModules);
}

/** {@link openOutboxStore} with the store modules given: internal, for tests. @internal */
export async function openOutboxStoreWith(
  location: string,
  options: OpenOutboxStoreOptions,
  modules: StoreModules,
): Promise<OutboxStore> {
  const { table, prefix, redisOptions, mustExist, logger } = options;
  const withTable = table === undefined ? {} : { table };
  const withLogger = logger === undefined ? {} : { logger };
  if (/^rediss?:\/\//i.test(location)) {
    const { RedisOutboxStore } = await load(modules, 'redis');
    return new RedisOutboxStore({
      redis: location,
      ...(prefix === undefined ? {} : { prefix }),
      ...(redisOptions === undefined ? {} : { redisOptions }),
      ...withLogger,
    });
  }
  if (/^postgres(ql)?:\/\//i.test(location)) {
    const { PostgresOutboxStore } = await load(modules, 'postgres');
    return new PostgresOutboxStore({ pool: location, ...withTable, ...withLogger });
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
  const { SqliteOutboxStore } = await load(modules, 'sqlite');
  return new SqliteOutboxStore({ filename, ...withTable });
}

async function load<TKind extends keyof StoreModules>(
  modules: StoreModules,
  kind: TKind,
): Promise<Awaited<ReturnType<StoreModules[TKind]>>> {
  try {
    return (await modules[kind]()) as Awaited<ReturnType<StoreModules[TKind]>>;
  } catch (error) {
    const driver = drivers[kind];
    if (isMissing(error, driver)) {
      throw new OutboxError(
        'INVALID_OPTIONS',
        `the ${storeNames[kind]} outbox store needs the ${driver} package, which is not installed: npm install ${driver}`,
        { cause: error },
      );
    }
    throw new OutboxError(
      'INVALID_OPTIONS',
      `the ${storeNames[kind]} outbox store could not be loaded: ${String(error)}`,
      {
        cause: error,
      },
    );
  }
}

/** Whether an import failed because `driver` is not installed (ESM and CommonJS say it differently). */
function isMissing(error: unknown, driver: string): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && error.message.includes(`'${driver}'`);
}
