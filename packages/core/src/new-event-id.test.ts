import { validate, version } from 'uuid';
import { describe, expect, it } from 'vitest';
import { newEventId } from './event-builder.js';

describe('newEventId', () => {
  it('creates v7 UUIDs, ordered by creation time', () => {
    const ids = Array.from({ length: 2000 }, () => newEventId());
    for (const id of ids) {
      expect(validate(id)).toBe(true);
      expect(version(id)).toBe(7);
    }
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
