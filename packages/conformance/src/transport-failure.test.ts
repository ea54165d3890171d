import { EgressError, type EgressFailure } from '@events-protocol/client/egress';
import { describe, expect, it } from 'vitest';
import { classifyTransportError } from './transport-failure.js';

function systemError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

function egressError(failure: Omit<EgressFailure, 'message'> & { message?: string }): EgressError {
  return new EgressError({ message: 'failed', ...failure });
}

describe('classifyTransportError', () => {
  it.each([
    ['ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:1'],
    ['ENOTFOUND', 'getaddrinfo ENOTFOUND events.invalid'],
    ['EHOSTUNREACH', 'connect EHOSTUNREACH 10.0.0.1:80'],
  ])('reads a failed connect (%s) as unreachable, with the system error as reason', (code, message) => {
    const error = egressError({ code: 'UNREACHABLE', phase: 'connect', cause: systemError(code, message) });
    expect(classifyTransportError(error, 100)).toEqual({
      kind: 'unreachable',
      reason: message,
      code: 'UNREACHABLE',
      phase: 'connect',
    });
  });

  it('names the deepest coded error of a wrapped cause', () => {
    const inner = systemError('ECONNREFUSED', 'connect ECONNREFUSED ::1:80');
    const error = egressError({
      code: 'UNREACHABLE',
      phase: 'connect',
      cause: new AggregateError([inner], 'all failed'),
    });
    expect(classifyTransportError(error, 100).reason).toBe('connect ECONNREFUSED ::1:80');
  });

  it('reads a reset, a hang-up and a cut body as connected without an answer', () => {
    const reset = egressError({
      code: 'UNREACHABLE',
      phase: 'headers',
      cause: systemError('ECONNRESET', 'read ECONNRESET'),
    });
    expect(classifyTransportError(reset, 100)).toEqual({
      kind: 'no-answer',
      reason: 'connected, but no answer: read ECONNRESET',
      code: 'UNREACHABLE',
      phase: 'headers',
    });
    const closed = egressError({
      code: 'RESPONSE_INTERRUPTED',
      phase: 'body',
      cause: new Error('terminated', { cause: systemError('UND_ERR_SOCKET', 'other side closed') }),
    });
    expect(classifyTransportError(closed, 100)).toEqual({
      kind: 'no-answer',
      reason: 'connected, but no answer: UND_ERR_SOCKET: other side closed',
      code: 'RESPONSE_INTERRUPTED',
      phase: 'body',
    });
  });

  it('tells a timeout after connecting from one that never connected', () => {
    expect(classifyTransportError(egressError({ code: 'TIMEOUT', phase: 'headers' }), 150)).toEqual({
      kind: 'no-answer',
      reason: 'connected, but no answer within 150 ms',
      code: 'TIMEOUT',
      phase: 'headers',
    });
    expect(classifyTransportError(egressError({ code: 'TIMEOUT', phase: 'body' }), 150)).toMatchObject({
      kind: 'no-answer',
      phase: 'body',
    });
    expect(classifyTransportError(egressError({ code: 'TIMEOUT', phase: 'connect' }), 150)).toEqual({
      kind: 'unreachable',
      reason: 'could not connect within 150 ms',
      code: 'TIMEOUT',
      phase: 'connect',
    });
  });

  it('reads an answer over the limit as no answer, and anything else thrown as no answer', () => {
    const large = egressError({ code: 'RESPONSE_TOO_LARGE', phase: 'body', message: 'over the 16 byte limit' });
    expect(classifyTransportError(large, 100)).toMatchObject({ kind: 'no-answer', code: 'RESPONSE_TOO_LARGE' });
    expect(classifyTransportError(new Error('odd'), 100)).toMatchObject({ kind: 'no-answer', code: 'UNKNOWN' });
  });
});
