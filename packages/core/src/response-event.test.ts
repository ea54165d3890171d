import { describe, expect, it } from 'vitest';
import {
  errorNameFor,
  errorTypeOf,
  isSuccessResponse,
  readResponseEvent,
  readResponseOutcome,
  responseNameFor,
} from './response-event.js';

describe('response naming', () => {
  it('names successes and errors as the protocol does', () => {
    expect(responseNameFor('user:get')).toBe('user:get:response');
    expect(errorNameFor('user:get', 'notFound')).toBe('user:get:notFound');
    expect(errorNameFor('user:get', 'eventNotFound')).toBe('eventNotFound');
    expect(errorNameFor('user:get', 'badProtocol')).toBe('badProtocol');
  });

  it.each([
    ['user:get:response', { kind: 'success' }],
    ['user:get:redirect', { kind: 'redirect' }],
    ['user:get:notFound', { kind: 'error', errorType: 'notFound' }],
    ['user:get:somethingNew', { kind: 'error', errorType: 'somethingNew' }],
    ['eventNotFound', { kind: 'error', errorType: 'eventNotFound' }],
    ['badProtocol', { kind: 'error', errorType: 'badProtocol' }],
    ['response', { kind: 'error', errorType: 'response' }],
  ])('reads %s', (name, outcome) => {
    expect(readResponseOutcome(name)).toEqual(outcome);
  });

  it('tells success and error types apart', () => {
    expect(isSuccessResponse({ name: 'a:response' })).toBe(true);
    expect(isSuccessResponse({ name: 'a:error' })).toBe(false);
    expect(errorTypeOf({ name: 'a:forbidden' })).toBe('forbidden');
    expect(errorTypeOf({ name: 'a:response' })).toBeUndefined();
  });
});

describe('readResponseEvent', () => {
  const defaults = { version: 3, id: 'req-id', flowId: 'req-flow' };

  it('fills what other implementations leave out from the request', () => {
    expect(readResponseEvent({ name: 'a:response', payload: 1 }, defaults)).toEqual({
      name: 'a:response',
      version: 3,
      id: 'req-id',
      flowId: 'req-flow',
      payload: 1,
      identity: {},
      auth: {},
      metadata: {},
    });
  });

  it('refuses values that are not response events', () => {
    for (const value of [{}, 'something', null, [], { name: '' }, { name: 'a:response', metadata: 'x' }]) {
      expect(readResponseEvent(value, defaults)).toBeUndefined();
    }
  });
});
