import { describe, expect, it } from 'vitest';
import { ApiRefusal } from './console-answer.js';
import { readEntrySelection, readPage } from './read-input.js';

function refusal(work: () => unknown): { status: number; code: string } | undefined {
  try {
    work();
  } catch (error) {
    if (error instanceof ApiRefusal) return { status: error.status, code: error.code };
    throw error;
  }
  return undefined;
}

describe('readPage', () => {
  it('takes the page size when no limit is named, and a cursor when given', () => {
    expect(readPage(new URLSearchParams(''), 50)).toEqual({ limit: 50 });
    expect(readPage(new URLSearchParams('limit=10&cursor=abc'), 50)).toEqual({ limit: 10, cursor: 'abc' });
  });

  it('refuses a limit outside 1 to 500', () => {
    for (const limit of ['0', '501', '2.5', 'ten']) {
      expect(refusal(() => readPage(new URLSearchParams(`limit=${limit}`), 50))).toEqual({
        status: 400,
        code: 'BAD_REQUEST',
      });
    }
  });
});

describe('readEntrySelection', () => {
  it('takes ids confirmed by their count, duplicates counted once', () => {
    expect(readEntrySelection({ ids: ['a', 'b', 'a'], confirm: 2 })).toEqual({
      selection: { ids: ['a', 'b'] },
      described: { ids: ['a', 'b'] },
    });
  });

  it('takes a filter confirmed with "all"', () => {
    const { selection, described } = readEntrySelection({
      filter: { topic: 'orders', since: '2026-12-01T00:00:00.000Z' },
      confirm: 'all',
    });
    expect(selection).toEqual({ topic: 'orders', since: new Date('2026-12-01T00:00:00.000Z') });
    expect(described).toEqual({ filter: { topic: 'orders', since: '2026-12-01T00:00:00.000Z' } });
  });

  it('refuses a selection without its confirmation, or malformed', () => {
    expect(refusal(() => readEntrySelection({ ids: ['a'] }))?.code).toBe('CONFIRMATION_REQUIRED');
    expect(refusal(() => readEntrySelection({ ids: ['a', 'b'], confirm: 1 }))?.code).toBe('CONFIRMATION_REQUIRED');
    expect(refusal(() => readEntrySelection({ filter: {}, confirm: 3 }))?.code).toBe('CONFIRMATION_REQUIRED');
    expect(refusal(() => readEntrySelection({ ids: [], confirm: 0 }))?.code).toBe('BAD_REQUEST');
    expect(refusal(() => readEntrySelection({ ids: [1], confirm: 1 }))?.code).toBe('BAD_REQUEST');
    expect(refusal(() => readEntrySelection({ confirm: 'all' }))?.code).toBe('BAD_REQUEST');
    const many = Array.from({ length: 501 }, (_, index) => `id-${index}`);
    expect(refusal(() => readEntrySelection({ ids: many, confirm: 501 }))?.code).toBe('BAD_REQUEST');
  });
});
