import { createOperatorConsole, type ConsoleOutbox } from '@events-protocol/console';
import { Outbox, type OutboxEntry } from '@events-protocol/outbox';
import { SqliteOutboxStore } from '@events-protocol/outbox/sqlite';
import { createPublishedEvent } from '@events-protocol/publish';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fetchBridge } from '../support/fetch-bridge.js';
import { listen } from '../support/http-server.js';
import { bearerAuthorize, callApi } from './console-fixture.js';

// A store holding 10,000 undelivered entries: the console's first page, and every later one,
// reads one page from the store, never the rest.
let directory: string;
let store: SqliteOutboxStore;
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'console-paging-'));
  store = new SqliteOutboxStore({ filename: join(directory, 'outbox.db') });
  await store.setup();
  const at = new Date();
  for (let start = 0; start < 10_000; start += 1000) {
    const entries: OutboxEntry[] = Array.from({ length: 1000 }, (_, index) => ({
      event: createPublishedEvent({ name: 'order:placed', payload: { orderId: `o-${start + index}` } }),
      topic: 'orders',
      attributes: {},
      enqueuedAt: at,
      failure: { attempt: 1, at: at.toISOString(), durationMs: 5, outcome: 'failed', error: { message: 'down' } },
    }));
    await store.enqueueBatch(entries);
  }
});
afterAll(async () => {
  await store.close();
  await rm(directory, { recursive: true, force: true });
});

it('lists 10,000 undelivered entries one page at a time, reading only that page', async () => {
  const outbox = new Outbox({ store });
  const reads: number[] = [];
  const counted: ConsoleOutbox = {
    store: outbox.store,
    stats: () => outbox.stats(),
    listPending: (options) => outbox.listPending(options),
    listUndelivered: async (options) => {
      const page = await outbox.listUndelivered(options);
      reads.push(page.events.length);
      return page;
    },
    getEntry: (id) => outbox.getEntry(id),
    redeliver: (selection) => outbox.redeliver(selection),
    deleteUndelivered: (selection) => outbox.deleteUndelivered(selection),
  };
  const operatorConsole = createOperatorConsole({
    basePath: '/ops',
    authorize: bearerAuthorize,
    outboxes: { big: counted },
  });
  await using server = await listen(fetchBridge((request) => operatorConsole.fetch(request)));
  const url = `${server.origin}/ops`;

  const overview = await callApi(url, 'overview');
  expect(overview.json['outboxes']).toMatchObject([{ name: 'big', figures: { undelivered: 10_000 } }]);
  const first = await callApi(url, 'outboxes/big/undelivered');
  expect(first.json['entries']).toHaveLength(50);
  expect(reads).toEqual([50]);
  const seen = new Set((first.json['entries'] as { id: string }[]).map((entry) => entry.id));
  let cursor = first.json['nextCursor'] as string | null;
  for (let page = 0; page < 3 && cursor !== null; page += 1) {
    const next = await callApi(url, `outboxes/big/undelivered?limit=500&cursor=${encodeURIComponent(cursor)}`);
    for (const entry of next.json['entries'] as { id: string }[]) seen.add(entry.id);
    cursor = next.json['nextCursor'] as string | null;
  }
  expect(seen.size).toBe(50 + 3 * 500);
  expect(reads).toEqual([50, 500, 500, 500]);
  expect((await callApi(url, 'outboxes/big/undelivered?limit=501')).status).toBe(400);
});
