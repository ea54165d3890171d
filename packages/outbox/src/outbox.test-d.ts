import type { PublishedEvent } from '@events-protocol/publish';
import type { PoolClient } from 'pg';
import { describe, expectTypeOf, it } from 'vitest';
import { Outbox } from './outbox.js';
import type { PostgresOutboxStore, PostgresQueryable } from './postgres-outbox-store.js';
import type { SqliteOutboxStore } from './sqlite-outbox-store.js';
import type { OutboxStore } from './outbox-store.js';

declare const event: PublishedEvent;
declare const postgres: PostgresOutboxStore;
declare const sqlite: SqliteOutboxStore;
declare const client: PoolClient;

describe('Outbox.enqueue options', () => {
  it('take the store’s own options: the Postgres transaction client', () => {
    const outbox = new Outbox({ store: postgres });
    expectTypeOf(outbox).toEqualTypeOf<Outbox<{ client?: PostgresQueryable }>>();
    expectTypeOf(outbox.enqueue(event, { topic: 'orders', client })).toEqualTypeOf<Promise<void>>();
    // @ts-expect-error: a client must be able to run queries
    void outbox.enqueue(event, { client: {} });
  });

  it('refuse options the store does not know', () => {
    const outbox = new Outbox({ store: sqlite });
    void outbox.enqueue(event, { topic: 'orders', attributes: { tenant: 'acme' } });
    // @ts-expect-error: SQLite takes no transaction client
    void outbox.enqueue(event, { topic: 'orders', client });
  });

  it('accept any store where a plain store is expected', () => {
    expectTypeOf(postgres).toExtend<OutboxStore>();
    expectTypeOf(sqlite).toExtend<OutboxStore>();
  });
});
