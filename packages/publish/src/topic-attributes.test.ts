import { describe, expect, it } from 'vitest';
import { isPublishError } from './publish-error.js';
import { topicAttributes } from './topic-attributes.js';

describe('topicAttributes', () => {
  it('turns numbers and booleans into strings and keys into lowercase', () => {
    expect(topicAttributes({ Region: 'eu', priority: 3, ratio: -0.25, urgent: false, empty: '' })).toEqual({
      region: 'eu',
      priority: '3',
      ratio: '-0.25',
      urgent: 'false',
      empty: '',
    });
  });

  it.each<[string, unknown]>([
    ['null', { a: null }],
    ['undefined', { a: undefined }],
    ['an object', { a: {} }],
    ['a bigint', { a: 1n }],
    ['Infinity', { a: Infinity }],
    ['a tab', { a: 'x\ty' }],
    ['a leading space', { a: ' x' }],
    ['a key with a colon', { 'a:b': 'x' }],
    ['two spellings of one key', { a: '1', A: '2' }],
    ['the key __proto__, which a plain object would drop', JSON.parse('{"__proto__":"x"}')],
    ['the key __PROTO__', { __PROTO__: 'x' }],
    ['an array', ['a']],
  ])('refuses %s with INVALID_EVENT', (_name, attributes) => {
    let error: unknown;
    try {
      topicAttributes(attributes);
    } catch (caught) {
      error = caught;
    }
    expect(isPublishError(error) && error.code).toBe('INVALID_EVENT');
  });
});
