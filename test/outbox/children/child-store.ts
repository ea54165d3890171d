import type { OutboxStore } from '@events-protocol/outbox';
import { PostgresOutboxStore } from '@events-protocol/outbox/postgres';
import { RedisOutboxStore } from '@events-protocol/outbox/redis';
import { SqliteOutboxStore } from '@events-protocol/outbox/sqlite';

/** Which store a child process opens, passed in `OUTBOX_STORE` as JSON. */
export type ChildStoreConfig =
  | { kind: 'sqlite'; filename: string }
  | { kind: 'redis'; url: string; prefix: string }
  | { kind: 'postgres'; url: string; table: string };

/** Opens the store the parent test named in the environment. */
export function openChildStore(): OutboxStore {
  const config = JSON.parse(process.env.OUTBOX_STORE ?? 'null') as ChildStoreConfig | null;
  if (config === null) throw new Error('OUTBOX_STORE is not set');
  switch (config.kind) {
    case 'sqlite':
      return new SqliteOutboxStore({ filename: config.filename });
    case 'redis':
      return new RedisOutboxStore({ redis: config.url, prefix: config.prefix });
    case 'postgres':
      return new PostgresOutboxStore({ pool: config.url, table: config.table });
  }
}
