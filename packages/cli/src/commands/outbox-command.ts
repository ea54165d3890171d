import { parseArgs } from 'node:util';
import { writeJson } from '@events-protocol/core';
import {
  isOutboxError,
  openOutboxStore,
  type OutboxStore,
  type RedeliverSelection,
  type UndeliveredFilter,
} from '@events-protocol/outbox';
import { paint, UsageError, wantsColor, type CliIo } from '../cli-io.js';
import { describeStoreFailure } from '../store-failure.js';
import { writeEntries, writeInspected } from './outbox-output.js';

export const outboxUsage = `Usage: events outbox <list|inspect|redeliver|delete|purge|pending> --store <location> [options]

Operates a durable outbox: the events a relay could not deliver, and delivered ones to purge.

Stores (--store, or the EVENTS_OUTBOX_STORE environment variable):
  sqlite:<file>                 a SQLite outbox file (a path ending in .db or .sqlite works too)
  redis://host:port[/db]        Redis Streams (--prefix picks the key prefix, "outbox" by default)
  postgres://user@host/db       PostgreSQL (--table picks the table, "outbox_events" by default)

Commands:
  list          list undelivered events, oldest first: id, name, topic, attempts, last error
                  [--topic T] [--since ISO] [--until ISO] [--limit N] [--cursor C] [--json]
                  --pending lists the events waiting for delivery instead (--topic applies)
                  a page holds --limit events (100); the next is one --cursor away, as printed
  inspect ID    show one event in any state: payload, attributes, and every attempt with its
                  status, duration, answer and error [--json]
  redeliver     make undelivered events due again with fresh attempts; prints how many
                  --id ID (repeatable) | --all | --topic T [--since ISO] [--until ISO]
  delete        delete undelivered events for good; prints how many
                  --id ID (repeatable) | --all | --topic T [--since ISO] [--until ISO]
  purge         delete delivered events older than a duration (7d, 12h, 30m) or a date
                  --older-than <duration|ISO>
  pending       print how many events wait for delivery

Options:
  --table NAME      the SQLite or PostgreSQL table
  --prefix NAME     the Redis key prefix
  --no-color        plain output
  -h, --help        this help
`;

/**
 * Opens the store a `--store` location names, one that exists: an operator's command never
 * creates a SQLite file. A command line fails fast when Redis is not there.
 */
async function openStore(location: string, options: { table?: string; prefix?: string }): Promise<OutboxStore> {
  try {
    return await openOutboxStore(location, {
      ...options,
      mustExist: true,
      redisOptions: { connectTimeout: 5000, maxRetriesPerRequest: 0, retryStrategy: () => null },
    });
  } catch (error) {
    // A location of no known kind, or a SQLite file that is not there: the flag names no store.
    if (isOutboxError(error) && error.code === 'INVALID_OPTIONS') throw new UsageError(`--store: ${error.message}`);
    throw error;
  }
}

const durationUnits: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `7d`, `12h`, `30m`, `45s` as ms before now, or an ISO date. */
function readOlderThan(text: string, now: number): Date {
  const duration = /^(\d+)([smhd])$/.exec(text);
  if (duration?.[1] !== undefined && duration[2] !== undefined) {
    return new Date(now - Number(duration[1]) * (durationUnits[duration[2]] ?? 0));
  }
  return readDate('--older-than', text);
}

function readDate(flag: string, text: string): Date {
  const date = new Date(text);
  if (Number.isNaN(date.getTime()))
    throw new UsageError(`${flag} must be an ISO date or a duration like 7d, got '${text}'`);
  return date;
}

function readLimit(text: string | undefined): number {
  if (text === undefined) return 100;
  const limit = Number(text);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000)
    throw new UsageError(`--limit must be 1 to 10000, got '${text}'`);
  return limit;
}

/** `events outbox`: resolves to the exit code. */
export async function outboxCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      store: { type: 'string' },
      table: { type: 'string' },
      prefix: { type: 'string' },
      topic: { type: 'string' },
      since: { type: 'string' },
      until: { type: 'string' },
      limit: { type: 'string' },
      cursor: { type: 'string' },
      id: { type: 'string', multiple: true },
      all: { type: 'boolean', default: false },
      pending: { type: 'boolean', default: false },
      'older-than': { type: 'string' },
      json: { type: 'boolean', default: false },
      color: { type: 'boolean' },
      'no-color': { type: 'boolean' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.stdout.write(outboxUsage);
    return 0;
  }
  const [action, ...extra] = positionals;
  if (action === undefined) {
    throw new UsageError('outbox needs a command: list, inspect, redeliver, delete, purge or pending');
  }
  if (!['list', 'inspect', 'redeliver', 'delete', 'purge', 'pending'].includes(action)) {
    throw new UsageError(`unknown outbox command '${action}'`);
  }
  const inspectId = action === 'inspect' ? extra.shift() : undefined;
  if (action === 'inspect' && inspectId === undefined) throw new UsageError('inspect needs the event id');
  if (values.pending && action !== 'list') throw new UsageError('--pending goes with list');
  if (values.pending && (values.since !== undefined || values.until !== undefined)) {
    throw new UsageError('--since and --until select undelivered events by failure time; not with --pending');
  }
  if (extra.length > 0) throw new UsageError(`unexpected argument '${extra.join(' ')}'`);
  const location = values.store ?? io.env['EVENTS_OUTBOX_STORE'];
  if (location === undefined || location === '') throw new UsageError('--store is required');
  const filter: UndeliveredFilter = {
    ...(values.topic === undefined ? {} : { topic: values.topic }),
    ...(values.since === undefined ? {} : { since: readDate('--since', values.since) }),
    ...(values.until === undefined ? {} : { until: readDate('--until', values.until) }),
  };
  // Check every flag before touching the store.
  const limit = readLimit(values.limit);
  let selection: RedeliverSelection | undefined;
  if (action === 'redeliver' || action === 'delete') {
    const ids = values.id ?? [];
    const filtered = Object.keys(filter).length > 0;
    if ([ids.length > 0, values.all, filtered].filter(Boolean).length !== 1) {
      throw new UsageError(`${action} needs exactly one of --id, --all, or a filter (--topic, --since, --until)`);
    }
    selection = ids.length > 0 ? { ids } : filter;
  }
  let olderThan: Date | undefined;
  if (action === 'purge') {
    const text = values['older-than'];
    if (text === undefined) throw new UsageError('purge needs --older-than, e.g. --older-than 7d');
    olderThan = readOlderThan(text, Date.now());
  }

  let store: OutboxStore;
  try {
    store = await openStore(location, {
      ...(values.table === undefined ? {} : { table: values.table }),
      ...(values.prefix === undefined ? {} : { prefix: values.prefix }),
    });
  } catch (error) {
    if (error instanceof UsageError) throw error;
    io.stderr.write(`events outbox ${action}: ${await describeStoreFailure(error, location)}\n`);
    return 1;
  }
  try {
    const color = wantsColor(io, values['no-color'] === true ? false : values.color);
    switch (action) {
      case 'list': {
        const pageOptions = { limit, ...(values.cursor === undefined ? {} : { cursor: values.cursor }) };
        const page = values.pending
          ? await store.listPending({ ...pageOptions, ...(values.topic === undefined ? {} : { topic: values.topic }) })
          : await store.listUndelivered({ ...filter, ...pageOptions });
        if (values.json) {
          io.stdout.write(`${writeJson(page, 2)}\n`);
          return 0;
        }
        writeEntries(io, color, page.events, values.pending ? 'pending' : 'undelivered');
        if (page.nextCursor !== undefined) {
          io.stdout.write(
            paint(color, 'dim', `more: the next page is the same command with --cursor ${page.nextCursor}\n`),
          );
        }
        return 0;
      }
      case 'inspect': {
        const event = await store.getEntry(inspectId ?? '');
        if (event === undefined) {
          io.stderr.write(`events outbox inspect: no event '${inspectId ?? ''}'\n`);
          return 1;
        }
        if (values.json) {
          io.stdout.write(`${writeJson(event, 2)}\n`);
          return 0;
        }
        writeInspected(io, color, event);
        return 0;
      }
      case 'delete': {
        const count = await store.deleteUndelivered(selection ?? {});
        io.stdout.write(`${count} undelivered event${count === 1 ? '' : 's'} deleted\n`);
        return 0;
      }
      case 'redeliver': {
        const count = await store.redeliver(selection ?? {}, new Date());
        io.stdout.write(`${count} event${count === 1 ? '' : 's'} due again\n`);
        return 0;
      }
      case 'purge': {
        const count = await store.purgeDelivered(olderThan ?? new Date());
        io.stdout.write(`${count} delivered event${count === 1 ? '' : 's'} purged\n`);
        return 0;
      }
      default: {
        io.stdout.write(`${await store.pendingCount()}\n`);
        return 0;
      }
    }
  } catch (error) {
    io.stderr.write(`events outbox ${action}: ${await describeStoreFailure(error, location)}\n`);
    return 1;
  } finally {
    await store.close().catch(() => undefined);
  }
}
