import { defineErrorFamily } from '@events-protocol/core';
import { describe, expect, it } from 'vitest';
import { conformanceChecks, selectChecks } from './conformance-checks.js';
import { ConformanceErrorCode, isConformanceError } from './conformance-error.js';

describe('conformanceChecks', () => {
  it('has unique kebab-case ids and a one-sentence rule citing PROTOCOL.md for each', () => {
    const ids = conformanceChecks.map((check) => check.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const check of conformanceChecks) {
      expect(check.id).toMatch(/^[a-z0-9]+(?:-[a-zA-Z0-9]+)*$/);
      expect(check.rule).toMatch(/\(PROTOCOL\.md, [A-Z][^)]*\)\.$/);
    }
  });

  it('covers every field badProtocol can name, missing and mistyped', () => {
    for (const field of ['name', 'version', 'id', 'flowId']) {
      expect(selectChecks([`bad-protocol-missing-${field}`, `bad-protocol-mistyped-${field}`])).toHaveLength(2);
    }
    for (const field of ['identity', 'auth', 'metadata'])
      expect(selectChecks([`bad-protocol-${field}-not-object`])).toHaveLength(1);
  });
});

describe('selectChecks', () => {
  it('returns the named checks in the kit order', () => {
    expect(selectChecks(['big-integers', 'success-naming']).map((check) => check.id)).toEqual([
      'success-naming',
      'big-integers',
    ]);
  });

  it('throws UNKNOWN_CHECK for an id it does not know', () => {
    let thrown: unknown;
    try {
      selectChecks(['success-naming', 'no-such-check']);
    } catch (error) {
      thrown = error;
    }
    expect(isConformanceError(thrown)).toBe(true);
    expect(thrown).toMatchObject({
      code: ConformanceErrorCode.UnknownCheck,
      message: expect.stringMatching(/^unknown check no-such-check; known: success-naming, /),
    });
  });
});

describe('isConformanceError', () => {
  it('recognises the error by its family brand and code, also from another copy of the package', () => {
    const otherCopy = defineErrorFamily('ConformanceError', ConformanceErrorCode);
    expect(isConformanceError(new otherCopy.Base('INVALID_OPTIONS', ''))).toBe(true);
    expect(isConformanceError({ name: 'ConformanceError', code: 'INVALID_OPTIONS', message: '' })).toBe(false);
    expect(isConformanceError({ name: 'ConformanceError', code: 'SOMETHING_ELSE' })).toBe(false);
    expect(isConformanceError(new Error('INVALID_OPTIONS'))).toBe(false);
    expect(isConformanceError(null)).toBe(false);
  });
});
