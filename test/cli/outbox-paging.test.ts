import { Outbox } from '@events-protocol/outbox';
import { SqliteOutboxStore } from '@events-protocol/outbox/sqlite';
import { createPublishedEvent, type Sink } from '@events-protocol/publish';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBuiltCli } from './run-built-cli.js';
import { runCliInProcess } from './run-cli-in-process.js';

const refusingSink: Sink = {
  name: 'refusing',
  publish: () => Promise.reject(new Error('receiver answered 503')),
  healthCheck: () => Promise.resolve(true),
};

describe('events outbox list, a page at a time', () => {
  let directory: string;
  let file: string;
  const ids: string[] = [];
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'events-cli-paging-'));
    file = join(directory, 'outbox.db');
    const store = new SqliteOutboxStore({ filename: file });
    const outbox = new Outbox({ store });
    for (let index = 0; index < 7; index++) {
      const event = createPublishedEvent({ name: 'order:placed', payload: { index } });
      ids.push(event.id);
      await outbox.enqueue(event, { topic: index % 2 === 0 ? 'even' : 'odd' });
    }
    await outbox
      .relay({ sink: refusingSink, schedule: { schedule: 'fixed', options: { delayMs: 1, maxAttempts: 1 } } })
      .runOnce();
    await store.close();
  });
  afterAll(() => rm(directory, { recursive: true, force: true }));

  it('pages past --limit with the --cursor each page prints, every event once, oldest first', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const result = await runCliInProcess([
        'outbox',
        'list',
        '--store',
        file,
        '--limit',
        '3',
        '--no-color',
        ...(cursor === undefined ? [] : ['--cursor', cursor]),
      ]);
      expect(result.code).toBe(0);
      seen.push(...ids.filter((id) => result.out.includes(id)));
      cursor = /the same command with --cursor (\S+)/.exec(result.out)?.[1];
      pages++;
    } while (cursor !== undefined && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual(ids);
  });

  it('gives the next cursor in --json too, and pages within a filter', async () => {
    const first = JSON.parse(
      (await runCliInProcess(['outbox', 'list', '--store', file, '--topic', 'even', '--limit', '2', '--json'])).out,
    ) as {
      events: { id: string }[];
      nextCursor?: string;
    };
    expect(first.events.map((event) => event.id)).toEqual([ids[0], ids[2]]);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = JSON.parse(
      (
        await runCliInProcess([
          'outbox',
          'list',
          '--store',
          file,
          '--topic',
          'even',
          '--limit',
          '2',
          '--json',
          '--cursor',
          first.nextCursor ?? '',
        ])
      ).out,
    ) as { events: { id: string }[]; nextCursor?: string };
    expect(second.events.map((event) => event.id)).toEqual([ids[4], ids[6]]);
    expect(second.nextCursor).toBeUndefined();
  });

  it('refuses a cursor no page printed, instead of answering with an empty page', async () => {
    for (const cursor of ['abc', '12abc', '1.5', '']) {
      const result = await runCliInProcess(['outbox', 'list', '--store', file, '--cursor', cursor]);
      expect(result.code, `--cursor '${cursor}'`).toBe(1);
      expect(result.err).toContain(`cursor '${cursor}' is not one this store gave`);
      expect(result.out).not.toContain('no undelivered events');
    }
  });

  it('prints the way to the next page from the built command', async () => {
    const result = await runBuiltCli(['outbox', 'list', '--store', `sqlite:${file}`, '--limit', '5']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('5 undelivered events');
    expect(result.stdout).toMatch(/more: the next page is the same command with --cursor \S+\n$/);
  });
});
