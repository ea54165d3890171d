import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openOutboxStore, openOutboxStoreWith, type StoreModules } from './open-outbox-store.js';

// Which package to install when a driver is missing is checked in a fresh process, where the
// driver really cannot be resolved (test/outbox/light-import.test.ts). Here: the locations.

function failingModules(error: Error): StoreModules {
  const fail = (): Promise<never> => Promise.reject(error);
  return { sqlite: fail, postgres: fail, redis: fail };
}

describe('openOutboxStore', () => {
  it('refuses a location that names no store', async () => {
    for (const location of ['', 'sqlite:', 'outbox.txt', 'mysql://localhost/outbox']) {
      await expect(openOutboxStore(location)).rejects.toMatchObject({ name: 'OutboxError', code: 'INVALID_OPTIONS' });
    }
  });

  it('refuses a SQLite file that does not exist when it must', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'open-outbox-'));
    try {
      const missing = join(directory, 'missing.db');
      await expect(openOutboxStore(`sqlite:${missing}`, { mustExist: true })).rejects.toMatchObject({
        code: 'INVALID_OPTIONS',
        message: expect.stringContaining('does not exist') as string,
      });
      const store = await openOutboxStore(join(directory, 'made.db'));
      expect(store.name).toMatch(/sqlite/i);
      await store.close();
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('says a store could not be loaded, with the cause, when its driver is there but fails', async () => {
    const broken = new Error('the native binding was built for another Node.js');
    const opening = openOutboxStoreWith('redis://127.0.0.1:1', {}, failingModules(broken));
    await expect(opening).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
      message: expect.stringContaining('the Redis outbox store could not be loaded') as string,
      cause: broken,
    });
    const missingElse = Object.assign(new Error("Cannot find package 'left-pad'"), { code: 'ERR_MODULE_NOT_FOUND' });
    await expect(openOutboxStoreWith('postgres://h/db', {}, failingModules(missingElse))).rejects.toMatchObject({
      message: expect.not.stringContaining('npm install') as string,
    });
  });
});
