import type { WebhookStore } from '@events-protocol/webhooks';

/** Which store a crash child opens, passed in `WEBHOOKS_CRASH_STORE` as JSON. */
export type CrashStoreConfig =
  | { kind: 'sqlite'; filename: string }
  | { kind: 'postgres'; url: string }
  | { kind: 'redis'; url: string; prefix: string };

/** The store named by `config`, loading only its own driver's subpath. */
export async function openCrashStore(config: CrashStoreConfig): Promise<WebhookStore> {
  switch (config.kind) {
    case 'sqlite': {
      const { SqliteWebhookStore } = await import('@events-protocol/webhooks/sqlite');
      return new SqliteWebhookStore({ filename: config.filename });
    }
    case 'postgres': {
      const { PostgresWebhookStore } = await import('@events-protocol/webhooks/postgres');
      return new PostgresWebhookStore(config.url);
    }
    case 'redis': {
      const { RedisWebhookStore } = await import('@events-protocol/webhooks/redis');
      return new RedisWebhookStore(config.url, { prefix: config.prefix });
    }
  }
}

/** The store the parent test named in the environment. */
export function openChildCrashStore(): Promise<WebhookStore> {
  const config = JSON.parse(process.env.WEBHOOKS_CRASH_STORE ?? 'null') as CrashStoreConfig | null;
  if (config === null) throw new Error('WEBHOOKS_CRASH_STORE is not set');
  return openCrashStore(config);
}
