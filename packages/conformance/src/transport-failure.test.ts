import { describe, expect, it } from 'vitest';
import { classifyTransportError } from './transport-failure.js';

function systemError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('classifyTransportError', () => {
  it.each([
    ['ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:1'],
    ['ENOTFOUND', 'getaddrinfo ENOTFOUND events.invalid'],
    ['EHOSTUNREACH', 'connect EHOSTUNREACH 10.0.0.1:80'],
    ['UND_ERR_CONNECT_TIMEOUT', 'Connect Timeout Error'],
  ])('reads %s as unreachable', (code, message) => {
    expect(classifyTransportError(systemError(code, message), 100, false)).toEqual({
      kind: 'unreachable',
      reason: message.includes(code) ? message : `${code}: ${message}`,
    });
  });

  it('reads a reset, a hang-up and an empty reply as connected without an answer', () => {
    expect(classifyTransportError(systemError('ECONNRESET', 'read ECONNRESET'), 100, true)).toEqual({
      kind: 'no-answer',
      reason: 'connected, but no answer: read ECONNRESET',
    });
    const closed = new Error('fetch failed', { cause: systemError('UND_ERR_SOCKET', 'other side closed') });
    expect(classifyTransportError(closed, 100, true)).toEqual({
      kind: 'no-answer',
      reason: 'connected, but no answer: UND_ERR_SOCKET: fetch failed',
    });
  });

  it('tells a timeout after connecting from one that never connected', () => {
    const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    expect(classifyTransportError(timeout, 150, true)).toEqual({
      kind: 'no-answer',
      reason: 'connected, but no answer within 150 ms',
    });
    expect(classifyTransportError(timeout, 150, false)).toEqual({
      kind: 'unreachable',
      reason: 'could not connect within 150 ms',
    });
    expect(classifyTransportError(systemError('UND_ERR_HEADERS_TIMEOUT', 'Headers Timeout Error'), 150, true)).toEqual({
      kind: 'no-answer',
      reason: 'connected, but no answer within 150 ms (UND_ERR_HEADERS_TIMEOUT)',
    });
  });
});
