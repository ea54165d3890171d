import { describe, expect, it } from 'vitest';
import { checkSubjectPrefix, requestSubjects, subjectOfRequest } from './request-subjects.js';

describe('request subjects', () => {
  it('sends an event to <prefix>.<name> when its name leads the body', () => {
    expect(subjectOfRequest('events', '{"name":"user:get","version":1}')).toBe('events.user:get');
    expect(subjectOfRequest('acme.events', '{ "name" : "a.b" }')).toBe('acme.events.a.b');
  });

  it('sends to the bare prefix what has no usable name first', () => {
    for (const body of [
      'not json',
      '{"version":1,"name":"x"}',
      '{"name":"has space"}',
      '{"name":"a*"}',
      '{"name":""}',
      '{"name":"a..b"}',
    ]) {
      expect(subjectOfRequest('events', body)).toBe('events');
    }
  });

  it('listens on every name and the prefix, or on the names given', () => {
    expect(requestSubjects('events', undefined)).toEqual(['events', 'events.>']);
    expect(requestSubjects('events', ['user:get', 'user:put'])).toEqual(['events.user:get', 'events.user:put']);
    expect(() => requestSubjects('events', ['bad name'])).toThrow(/cannot be a NATS subject/);
  });

  it('refuses a prefix that is no subject', () => {
    for (const prefix of ['', 'a b', 'events.>', 'events.*', 'events.']) {
      expect(() => checkSubjectPrefix(prefix)).toThrow(
        expect.objectContaining({ name: 'NatsError', code: 'INVALID_OPTIONS' }),
      );
    }
    expect(checkSubjectPrefix('acme.events')).toBe('acme.events');
  });
});
