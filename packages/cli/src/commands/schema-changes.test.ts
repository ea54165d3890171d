import { describe, expect, it } from 'vitest';
import { schemaChanges } from './schema-changes.js';

const severities = (before: object, after: object, direction: 'input' | 'output' = 'input'): string[] =>
  schemaChanges(before, after, direction, 'payload').map((change) => `${change.severity} ${change.at}`);

describe('schemaChanges', () => {
  it('finds no change between equal schemas, descriptions aside', () => {
    expect(severities({ type: 'string', description: 'a' }, { type: 'string', description: 'b' })).toEqual([]);
  });

  it('calls a narrowed input type breaking and a widened one compatible', () => {
    expect(severities({ type: 'number' }, { type: 'integer' })).toEqual(['breaking payload']);
    expect(severities({ type: 'integer' }, { type: 'number' })).toEqual(['compatible payload']);
    expect(severities({}, { type: 'string' })).toEqual(['breaking payload']);
  });

  it('reads outputs the other way round: a widened type breaks readers', () => {
    expect(severities({ type: 'integer' }, { type: 'number' }, 'output')).toEqual(['breaking payload']);
    expect(severities({ type: 'number' }, { type: 'integer' }, 'output')).toEqual(['compatible payload']);
  });

  it('compares enum values: fewer accepted inputs break, more returned outputs break', () => {
    expect(severities({ enum: ['a', 'b'] }, { enum: ['a'] })).toEqual(['breaking payload']);
    expect(severities({ enum: ['a'] }, { enum: ['a', 'b'] })).toEqual(['compatible payload']);
    expect(severities({ enum: ['a'] }, { enum: ['a', 'b'] }, 'output')).toEqual(['breaking payload']);
  });

  it('calls a tightened input bound breaking and a loosened one compatible', () => {
    expect(severities({ type: 'string', maxLength: 10 }, { type: 'string', maxLength: 5 })).toEqual([
      'breaking payload',
    ]);
    expect(severities({ type: 'string', minLength: 3 }, { type: 'string' })).toEqual(['compatible payload']);
  });

  it('recurses into properties and items', () => {
    const before = { type: 'array', items: { type: 'object', properties: { n: { type: 'number' } } } };
    const after = { type: 'array', items: { type: 'object', properties: { n: { type: 'integer' } } } };
    expect(severities(before, after)).toEqual(['breaking payload[].n']);
  });

  it('lists what it cannot judge to review', () => {
    expect(severities({ type: 'string', pattern: '^a' }, { type: 'string', pattern: '^b' })).toEqual([
      'review payload',
    ]);
    expect(severities({ anyOf: [{ type: 'string' }] }, { anyOf: [{ type: 'number' }] })).toEqual(['review payload']);
  });

  it('calls an output field that became optional breaking', () => {
    const before = { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] };
    expect(severities(before, { ...before, required: [] }, 'output')).toEqual(['breaking payload.a']);
    expect(severities({ ...before, required: [] }, before)).toEqual(['breaking payload.a']);
  });
});
