import type { PublishedEvent } from '@events-protocol/publish';
import { WebhookDispatcher, type DeliveryStatus } from '@events-protocol/webhooks';
import type { PostgresWebhookStore } from '@events-protocol/webhooks/postgres';
import type { SqliteWebhookStore } from '@events-protocol/webhooks/sqlite';
import type Database from 'better-sqlite3';
import type pg from 'pg';
import { describe, expectTypeOf, it } from 'vitest';

declare const postgresStore: PostgresWebhookStore;
declare const sqliteStore: SqliteWebhookStore;
declare const client: pg.PoolClient;
declare const database: Database.Database;
declare const events: PublishedEvent[];

describe('deliverEvents', () => {
  it('resolves to one status list per event, and takes the store’s own transaction option', () => {
    const onPostgres = new WebhookDispatcher({ store: postgresStore });
    expectTypeOf(onPostgres.deliverEvents(events, { client })).resolves.toEqualTypeOf<DeliveryStatus[][]>();
    expectTypeOf(onPostgres.deliverEvent(events[0]!, { client })).resolves.toEqualTypeOf<DeliveryStatus[]>();
    // @ts-expect-error SQLite's option is not PostgreSQL's
    void onPostgres.deliverEvents(events, { database });
    const onSqlite = new WebhookDispatcher({ store: sqliteStore });
    expectTypeOf(onSqlite.deliverEvents(events, { database })).resolves.toEqualTypeOf<DeliveryStatus[][]>();
    // @ts-expect-error PostgreSQL's option is not SQLite's
    void onSqlite.deliverEvents(events, { client });
  });
});
