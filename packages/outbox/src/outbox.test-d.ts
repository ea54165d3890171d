import type { PublishedEvent } from '@events-protocol/publish';
import type Database from 'better-sqlite3';
import type { PoolClient } from 'pg';
import { describe, expectTypeOf, it } from 'vitest';
import type { OutboxRelayOptions, ScheduleResolver } from './relay-options.js';
import { Outbox } from './outbox.js';
import type { OutboxStore } from './outbox-store.js';
import type { PostgresOutboxStore, PostgresQueryable } from './postgres/index.js';
import type { SqliteOutboxStore } from './sqlite/index.js';

declare const event: PublishedEvent;
declare const postgres: PostgresOutboxStore;
declare const sqlite: SqliteOutboxStore;
declare const client: PoolClient;
declare const database: Database.Database;

describe('Outbox.enqueue options', () => {
  it('take the store’s own options: the PostgreSQL transaction client', () => {
    const outbox = new Outbox({ store: postgres });
    expectTypeOf(outbox).toEqualTypeOf<Outbox<{ client?: PostgresQueryable }>>();
    expectTypeOf(outbox.enqueue(event, { topic: 'orders', client })).toEqualTypeOf<Promise<boolean>>();
    expectTypeOf(outbox.enqueueMany([event], { client })).toEqualTypeOf<Promise<boolean[]>>();
    expectTypeOf(outbox.enqueueItems([{ event, id: 'a' }], { client })).toEqualTypeOf<Promise<boolean[]>>();
    // @ts-expect-error: a client must be able to run queries
    void outbox.enqueue(event, { client: {} });
  });

  it('take the SQLite database whose transaction is open', () => {
    const outbox = new Outbox({ store: sqlite });
    void outbox.enqueue(event, { topic: 'orders', attributes: { tenant: 'acme' }, database });
    // @ts-expect-error: SQLite takes no PostgreSQL client
    void outbox.enqueue(event, { topic: 'orders', client });
  });

  it('give enqueueMany one key per event, not one for all', () => {
    const outbox = new Outbox({ store: sqlite });
    // @ts-expect-error: ids go through enqueueItems
    void outbox.enqueueMany([event], { id: 'same' });
  });

  it('accept any store where a plain store is expected', () => {
    expectTypeOf(postgres).toExtend<OutboxStore>();
    expectTypeOf(sqlite).toExtend<OutboxStore>();
  });
});

describe('OutboxRelayOptions.schedule', () => {
  it('takes a per-entry resolver, sync or async', () => {
    expectTypeOf<ScheduleResolver>().toExtend<NonNullable<OutboxRelayOptions['schedule']>>();
    expectTypeOf<() => Promise<{ maxAttempts: number; delayAfter: () => undefined }>>().toExtend<ScheduleResolver>();
  });
});
