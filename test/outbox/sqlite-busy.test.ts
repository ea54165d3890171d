import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isOutboxError, Outbox } from '@events-protocol/outbox';
import { SqliteOutboxStore } from '@events-protocol/outbox/sqlite';
import { killChildren, printed, startChild } from './crash-scenario.js';
import { orderEvent } from './events.js';
import { startReceiver } from './receiver.js';

// Two processes on one SQLite file: a write lock another process holds is waited for up to the
// busy timeout, and past it is a retryable STORE_BUSY, never a raw SqliteError.

afterEach(killChildren);

async function withFile(test: (filename: string) => Promise<void>): Promise<void> {
  const directory = await mkdtemp(join(tmpdir(), 'outbox-busy-'));
  try {
    await test(join(directory, 'outbox.db'));
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

function exitCode(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

const entry = (index: number) => ({
  event: orderEvent(index, 'busy'),
  topic: undefined,
  attributes: {},
  enqueuedAt: new Date(),
});

describe('SQLite locked by another process', () => {
  it('fails a call with a retryable STORE_BUSY past the busy timeout, and the retry succeeds', async () => {
    await withFile(async (filename) => {
      const store = new SqliteOutboxStore({ filename, busyTimeoutMs: 50 });
      const outbox = new Outbox({ store });
      const holder = startChild('lock-holder.ts', { OUTBOX_FILE: filename, OUTBOX_HOLD_MS: '1500' });
      await printed(holder, 'locked');

      const enqueueError = await outbox.enqueue(orderEvent(1, 'busy')).catch((error: unknown) => error);
      expect(enqueueError).toMatchObject({ code: 'ENQUEUE_FAILED', retryable: true });
      const busy = (enqueueError as Error).cause;
      expect(isOutboxError(busy) && busy.code).toBe('STORE_BUSY');
      expect((busy as Error).cause).toMatchObject({ code: 'SQLITE_BUSY' });
      const claimError = await store
        .claim({ limit: 10, leaseMs: 1000, now: new Date(), owner: 'relay' })
        .catch((error: unknown) => error);
      expect(claimError).toMatchObject({ name: 'OutboxError', code: 'STORE_BUSY', retryable: true });

      expect(await exitCode(holder)).toBe(0);
      await outbox.enqueue(orderEvent(1, 'busy'));
      expect(await outbox.pendingCount()).toBe(1);
      await store.close();
    });
  });

  it('waits for a lock held for less than the busy timeout (5 s by default) instead of failing', async () => {
    await withFile(async (filename) => {
      const store = new SqliteOutboxStore({ filename });
      const holder = startChild('lock-holder.ts', { OUTBOX_FILE: filename, OUTBOX_HOLD_MS: '800' });
      await printed(holder, 'locked');
      await store.enqueueBatch([entry(1), entry(2)]);
      expect(await store.pendingCount()).toBe(2);
      expect(await exitCode(holder)).toBe(0);
      await store.close();
    });
  });

  it(
    'lets two producer processes and a relay process share one file without an error',
    { timeout: 120_000 },
    async () => {
      await withFile(async (filename) => {
        await using receiver = await startReceiver();
        await new SqliteOutboxStore({ filename }).close(); // creates the file and its table first
        const store = JSON.stringify({ kind: 'sqlite', filename });
        const count = 1500;
        const producers = ['a', 'b'].map((run) =>
          startChild('producer.ts', { OUTBOX_STORE: store, OUTBOX_COUNT: String(count), OUTBOX_RUN_ID: run }),
        );
        const relay = startChild('relay.ts', { OUTBOX_STORE: store, OUTBOX_RECEIVER: receiver.url });
        expect(await Promise.all(producers.map(exitCode))).toEqual([0, 0]);
        for (let waited = 0; receiver.received.size < 2 * count && waited < 60_000; waited += 50) {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        relay.kill('SIGTERM');
        expect(await exitCode(relay)).toBe(0);
        const missing = ['a', 'b'].flatMap((run) =>
          Array.from({ length: count }, (_, index) => `${run}-${index}`).filter((id) => !receiver.received.has(id)),
        );
        expect(missing).toEqual([]);
      });
    },
  );
});
