import { describe, expect, it } from 'vitest';
import { createFlowStorage } from './sync-flow-storage.js';

describe('the synchronous flow storage of browsers', () => {
  it('holds the store during the synchronous part of run, nested runs restoring the outer one', () => {
    const storage = createFlowStorage<string>();
    expect(storage.getStore()).toBeUndefined();
    const seen = storage.run('outer', () => {
      const inner = storage.run('inner', () => storage.getStore());
      return [inner, storage.getStore()];
    });
    expect(seen).toEqual(['inner', 'outer']);
    expect(storage.getStore()).toBeUndefined();
  });

  it('restores the previous store when the callback throws', () => {
    const storage = createFlowStorage<string>();
    expect(() =>
      storage.run('failing', () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(storage.getStore()).toBeUndefined();
  });

  it('does not follow an await (what the web cannot do yet), and says so by being gone', async () => {
    const storage = createFlowStorage<string>();
    const afterAwait = await storage.run('flow', async () => {
      const before = storage.getStore();
      await Promise.resolve();
      return [before, storage.getStore()];
    });
    expect(afterAwait).toEqual(['flow', undefined]);
  });
});
