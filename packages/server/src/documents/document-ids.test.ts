import { describe, expect, it } from 'vitest';
import { DocumentIds } from './document-ids.js';

describe('DocumentIds', () => {
  it('gives each name and version a readable key, the same on every call', () => {
    const ids = new DocumentIds();
    expect(ids.idFor('user:get', 1)).toBe('user-get.v1');
    expect(ids.idFor('user:get', 2)).toBe('user-get.v2');
    expect(ids.idFor('user:get', 1)).toBe('user-get.v1');
    expect(ids.idFor('order:placed', 1, 'on-orders.eu')).toBe('order-placed.v1.on-orders-eu');
  });

  it('keeps names that read alike apart', () => {
    const ids = new DocumentIds();
    const keys = ['user:get', 'user-get', 'user.get', 'user get'].map((name) => ids.idFor(name, 1));
    expect(new Set(keys).size).toBe(4);
    for (const key of keys) expect(key).toMatch(/^[A-Za-z0-9._-]+$/);
  });
});
