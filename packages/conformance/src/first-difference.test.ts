import { describe, expect, it } from 'vitest';
import { firstDifference } from './first-difference.js';

describe('firstDifference', () => {
  it('is undefined for deeply equal values, bigints included', () => {
    expect(firstDifference({ a: [1, { b: 2n }] }, { a: [1, { b: 2n }] }, 'payload')).toBeUndefined();
  });

  it('points at the first differing leaf', () => {
    expect(firstDifference({ a: [1, { b: 3 }] }, { a: [1, { b: 2 }] }, 'payload')).toEqual({
      path: 'payload.a[1].b',
      actual: 3,
      expected: 2,
    });
  });

  it('tells a rounded number from the bigint that was sent', () => {
    expect(firstDifference({ id: 65484548474984660 }, { id: 65484548474984654n }, 'payload')).toEqual({
      path: 'payload.id',
      actual: 65484548474984660,
      expected: 65484548474984654n,
    });
  });

  it('names missing and added keys and elements', () => {
    expect(firstDifference({}, { kept: 1 }, 'payload')).toEqual({
      path: 'payload.kept',
      actual: undefined,
      expected: 1,
    });
    expect(firstDifference({ added: 1 }, {}, 'payload')).toEqual({
      path: 'payload.added',
      actual: 1,
      expected: undefined,
    });
    expect(firstDifference([1], [1, 2], 'payload')).toEqual({ path: 'payload[1]', actual: undefined, expected: 2 });
  });

  it('reports a change of type at the value itself', () => {
    expect(firstDifference('[1]', [1], 'payload')).toEqual({ path: 'payload', actual: '[1]', expected: [1] });
    expect(firstDifference([], {}, 'payload')).toEqual({ path: 'payload', actual: [], expected: {} });
  });
});
