import { createPublishedEvent, FileSink, isPublishError } from '@events-protocol/publish';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testDirectory } from '../support/test-directory.js';

describe('FileSink', () => {
  it('keeps publish order across sinks writing to one directory in the same millisecond', async () => {
    const directory = join(await testDirectory('file-sink'), 'events');
    const ids: string[] = [];
    // A new sink every few files: its first file often lands in the millisecond of the last one's.
    for (let round = 0; round < 60; round++) {
      const sink = new FileSink({ directory, sync: false });
      for (let index = 0; index < 5; index++) {
        const event = createPublishedEvent({ name: 'order:placed', payload: { round, index } });
        ids.push(event.id);
        await sink.publish(event);
      }
    }
    const files = (await readdir(directory)).sort();
    expect(files.map((file) => ids.findIndex((id) => file.includes(id)))).toEqual(ids.map((_, index) => index));
  });

  it('writes one whole JSON file per event, listed in publish order, across sink instances', async () => {
    const directory = join(await testDirectory('file-sink'), 'events');
    const first = new FileSink({ directory });
    const ids: string[] = [];
    for (let index = 0; index < 30; index++) {
      const event = createPublishedEvent({ name: 'order:placed', payload: { index, big: 2n ** 64n } });
      ids.push(event.id);
      await first.publish(event, index === 0 ? { topic: 'orders', attributes: { region: 'eu' } } : {});
    }
    // A restarted process keeps the order: names start with the time.
    const restarted = new FileSink({ directory });
    const last = createPublishedEvent({ name: 'order:placed', payload: { index: 30 } });
    ids.push(last.id);
    await restarted.publish(last);

    const files = (await readdir(directory)).sort();
    expect(files).toHaveLength(31);
    expect(files.every((file) => file.endsWith('.json') && !file.startsWith('.'))).toBe(true);
    expect(files.map((file) => ids.findIndex((id) => file.includes(id)))).toEqual(ids.map((_, index) => index));
    const text = await readFile(join(directory, files[0]!), 'utf8');
    expect(text).toContain('"big":18446744073709551616');
    expect(JSON.parse(text)).toMatchObject({
      name: 'order:placed',
      id: ids[0],
      topic: 'orders',
      attributes: { region: 'eu' },
    });
    expect(await first.healthCheck()).toBe(true);
  });

  it('rejects an event JSON cannot hold, leaving no file behind', async () => {
    const directory = await testDirectory('file-sink');
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    const error: unknown = await new FileSink({ directory })
      .publish(createPublishedEvent({ name: 'x', payload: cyclic }))
      .catch((caught: unknown) => caught);
    expect(isPublishError(error) && error.code).toBe('SERIALIZATION_FAILED');
    expect(await readdir(directory)).toEqual([]);
  });

  it('rejects when the directory cannot be written, and reports unhealthy', async () => {
    const file = join(await testDirectory('file-sink'), 'a-file');
    await writeFile(file, 'not a directory');
    const sink = new FileSink({ directory: file });
    await expect(sink.publish(createPublishedEvent({ name: 'x', payload: 1 }))).rejects.toMatchObject({
      code: 'UNREACHABLE',
    });
    expect(await sink.healthCheck()).toBe(false);
  });
});
