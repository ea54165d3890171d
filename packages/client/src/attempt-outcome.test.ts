import { EventBuilder, writeJson } from '@events-protocol/core';
import { describe, expect, it } from 'vitest';
import { attemptOutcome, type AttemptContext } from './attempt-outcome.js';
import { EgressError } from './egress/egress-error.js';
import { TransportTimeoutError } from './event-transport.js';
import type { SuccessResult } from './send-result.js';

const request = EventBuilder.request({ name: 'user:get', payload: { userId: '42' } });
const context: AttemptContext = { request, attempts: 2, timeoutMs: 900, signal: undefined };

function egress(code: EgressError['code'], phase: EgressError['phase']): EgressError {
  return new EgressError({ code, phase, message: `${code} in ${phase}` });
}

function thrown(error: unknown, given: AttemptContext = context) {
  return attemptOutcome({ kind: 'threw', error }, given);
}

describe('attemptOutcome', () => {
  it('reads an answer as the protocol says', () => {
    const answer = { status: 200, body: writeJson(EventBuilder.responseFor(request, { name: 'Ada' })) };
    expect(attemptOutcome({ kind: 'answered', answer }, context)).toMatchObject({
      kind: 'success',
      redirect: false,
      attempts: 2,
      event: { name: 'user:get:response', payload: { name: 'Ada' } },
    });
    expect(attemptOutcome({ kind: 'answered', answer: { status: 502, body: 'bad gateway' } }, context)).toMatchObject({
      kind: 'failedDependency',
      reason: 'status',
      status: 502,
    });
  });

  it('is a timeout with its phase for an egress TIMEOUT, and for other transports’ timeouts', () => {
    expect(thrown(egress('TIMEOUT', 'connect'))).toEqual({
      kind: 'timeout',
      timeoutMs: 900,
      request,
      attempts: 2,
      phase: 'connect',
    });
    expect(thrown(egress('TIMEOUT', 'body'))).toMatchObject({ kind: 'timeout', phase: 'body' });
    expect(thrown(new TransportTimeoutError('no answer within 5 ms'))).toEqual({
      kind: 'timeout',
      timeoutMs: 900,
      request,
      attempts: 2,
      phase: 'headers',
    });
    const undiciTimeout = Object.assign(new Error('Headers Timeout Error'), { code: 'UND_ERR_HEADERS_TIMEOUT' });
    expect(thrown(undiciTimeout)).toMatchObject({ kind: 'timeout' });
  });

  it('is a failed dependency for an unreachable server, a cut answer and an answer too large', () => {
    const refused = egress('UNREACHABLE', 'connect');
    expect(thrown(refused)).toEqual({
      kind: 'failedDependency',
      reason: 'unreachable',
      cause: refused,
      request,
      attempts: 2,
      phase: 'connect',
    });
    expect(thrown(egress('UNREACHABLE', 'headers'))).toMatchObject({ reason: 'unreachable', phase: 'headers' });
    expect(thrown(egress('RESPONSE_INTERRUPTED', 'body'))).toMatchObject({ reason: 'unreachable', phase: 'body' });
    expect(thrown(egress('CLOSED', 'request'))).toMatchObject({ reason: 'unreachable' });
    expect(thrown(egress('RESPONSE_TOO_LARGE', 'body'))).toMatchObject({ reason: 'invalidResponse', phase: 'body' });
    const unknown = new Error('something else');
    expect(thrown(unknown)).toEqual({
      kind: 'failedDependency',
      reason: 'unreachable',
      cause: unknown,
      request,
      attempts: 2,
    });
  });

  it('throws ABORTED for a cancelled attempt, and whenever the caller’s signal fired', () => {
    expect(() => thrown(egress('ABORTED', 'headers'))).toThrow(expect.objectContaining({ code: 'ABORTED' }));
    expect(() => thrown(new DOMException('aborted', 'AbortError'))).toThrow(
      expect.objectContaining({ code: 'ABORTED' }),
    );
    const signal = AbortSignal.abort(new Error('gone'));
    let caught: unknown;
    try {
      thrown(egress('TIMEOUT', 'headers'), { ...context, signal });
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code: 'ABORTED', name: 'EventClientError' });
    expect((caught as Error).cause).toBe(signal.reason);
  });

  it('throws INVALID_OPTIONS for a request the transport cannot send', () => {
    expect(() => thrown(egress('INVALID_OPTIONS', 'request'))).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS' }),
    );
  });

  it('is a timeout of the attempts before when no time was left', () => {
    expect(attemptOutcome({ kind: 'expired' }, { ...context, attempts: 3 })).toEqual({
      kind: 'timeout',
      timeoutMs: 900,
      request,
      attempts: 3,
    });
  });

  it('is a failed dependency with the payload kept when the response schema refuses a success', () => {
    const success: SuccessResult = {
      kind: 'success',
      redirect: false,
      request,
      attempts: 1,
      event: EventBuilder.responseFor(request, { name: 7, big: 2n ** 64n }),
    };
    const cause = new Error('name: expected string');
    expect(attemptOutcome({ kind: 'mismatched', success, cause }, context)).toEqual({
      kind: 'failedDependency',
      reason: 'invalidResponse',
      body: '{"name":7,"big":18446744073709551616}',
      cause,
      request,
      attempts: 1,
    });
  });
});
