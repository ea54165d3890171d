import { describe, expect, it } from 'vitest';
import { causeChain, readEgressFailure, timeoutFailure, type FailureContext } from './egress-failure.js';

function systemError(code: string, message: string, cause?: unknown): Error {
  return Object.assign(new Error(message, cause === undefined ? undefined : { cause }), { code });
}

const connecting: FailureContext = { phase: 'connect', callerAborted: false };
const waiting: FailureContext = { phase: 'headers', callerAborted: false };
const reading: FailureContext = { phase: 'body', callerAborted: false };

describe('readEgressFailure', () => {
  it.each([
    ['ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:1'],
    ['ENOTFOUND', 'getaddrinfo ENOTFOUND events.invalid'],
    ['EAI_AGAIN', 'getaddrinfo EAI_AGAIN events.example'],
    ['EHOSTUNREACH', 'connect EHOSTUNREACH 10.0.0.1:80'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames"],
  ])('reads %s as UNREACHABLE in the connect phase, from any phase', (code, message) => {
    for (const context of [connecting, waiting]) {
      expect(readEgressFailure(systemError(code, message), context)).toMatchObject({
        code: 'UNREACHABLE',
        phase: 'connect',
      });
    }
  });

  it('finds the code deep in the cause chain, as undici and fetch wrap it', () => {
    const refused = systemError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:9');
    const wrapped = new TypeError('fetch failed', { cause: new Error('socket', { cause: refused }) });
    const failure = readEgressFailure(wrapped, waiting);
    expect(failure).toMatchObject({ code: 'UNREACHABLE', phase: 'connect', cause: wrapped });
    expect(failure.message).toBe('could not connect: connect ECONNREFUSED 127.0.0.1:9');
  });

  it('reads the AggregateError of a connection tried on several addresses', () => {
    const error = new AggregateError(
      [
        systemError('ECONNREFUSED', 'connect ECONNREFUSED ::1:80'),
        systemError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:80'),
      ],
      '',
    );
    expect(readEgressFailure(error, connecting)).toMatchObject({ code: 'UNREACHABLE', phase: 'connect' });
    const timedOut = new AggregateError([systemError('ETIMEDOUT', 'connect ETIMEDOUT 10.0.0.1:80')], '');
    expect(readEgressFailure(timedOut, connecting)).toMatchObject({ code: 'TIMEOUT', phase: 'connect' });
  });

  it("takes the phase from undici's timeout and size codes, wherever the exchange thought it was", () => {
    expect(readEgressFailure(systemError('UND_ERR_CONNECT_TIMEOUT', 'Connect Timeout Error'), waiting)).toMatchObject({
      code: 'TIMEOUT',
      phase: 'connect',
    });
    expect(readEgressFailure(systemError('UND_ERR_HEADERS_TIMEOUT', 'Headers Timeout Error'), reading)).toMatchObject({
      code: 'TIMEOUT',
      phase: 'headers',
    });
    expect(readEgressFailure(systemError('UND_ERR_BODY_TIMEOUT', 'Body Timeout Error'), waiting)).toMatchObject({
      code: 'TIMEOUT',
      phase: 'body',
    });
    expect(readEgressFailure(systemError('UND_ERR_RES_EXCEEDED_MAX_SIZE', 'too big'), reading)).toMatchObject({
      code: 'RESPONSE_TOO_LARGE',
      phase: 'body',
    });
  });

  it("reads an AbortSignal's timeout reason as a timeout of the phase the exchange was in", () => {
    const reason = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    const aborted = Object.assign(new Error('This operation was aborted', { cause: reason }), { name: 'AbortError' });
    expect(readEgressFailure(aborted, waiting)).toMatchObject({ code: 'TIMEOUT', phase: 'headers' });
  });

  it('reads a reset or a closed socket by phase: UNREACHABLE before the headers, RESPONSE_INTERRUPTED after', () => {
    const reset = systemError('ECONNRESET', 'read ECONNRESET');
    const closed = systemError('UND_ERR_SOCKET', 'other side closed');
    expect(readEgressFailure(reset, waiting)).toMatchObject({ code: 'UNREACHABLE', phase: 'headers' });
    expect(readEgressFailure(closed, connecting)).toMatchObject({ code: 'UNREACHABLE', phase: 'connect' });
    expect(readEgressFailure(reset, reading)).toMatchObject({ code: 'RESPONSE_INTERRUPTED', phase: 'body' });
    expect(readEgressFailure(closed, waiting).message).toBe(
      'connected, but no response: UND_ERR_SOCKET: other side closed',
    );
  });

  it("is ABORTED when the caller's signal fired, whatever the error says", () => {
    const context: FailureContext = { phase: 'body', callerAborted: true };
    for (const error of [systemError('UND_ERR_ABORTED', 'Request aborted'), systemError('ECONNRESET', 'reset')]) {
      expect(readEgressFailure(error, context)).toMatchObject({ code: 'ABORTED', phase: 'body' });
    }
  });

  it('reads a closed pool as CLOSED and a refused argument as INVALID_OPTIONS', () => {
    expect(readEgressFailure(systemError('UND_ERR_DESTROYED', 'The client is destroyed'), waiting)).toMatchObject({
      code: 'CLOSED',
    });
    expect(readEgressFailure(systemError('UND_ERR_INVALID_ARG', 'invalid header'), connecting)).toMatchObject({
      code: 'INVALID_OPTIONS',
      phase: 'request',
    });
  });

  it("keeps a connector's own refusal as the cause of an UNREACHABLE connect", () => {
    const refusal = Object.assign(new Error('the target is refused'), { code: 'TARGET_REFUSED' });
    expect(readEgressFailure(refusal, connecting)).toMatchObject({
      code: 'UNREACHABLE',
      phase: 'connect',
      message: 'could not connect: TARGET_REFUSED: the target is refused',
      cause: refusal,
    });
    expect(readEgressFailure('a string', connecting)).toMatchObject({
      code: 'UNREACHABLE',
      message: 'could not connect: a string',
    });
  });
});

describe('causeChain', () => {
  it('walks causes and aggregated errors once each, cycles included', () => {
    const inner = new Error('inner');
    const outer = new Error('outer', { cause: inner });
    (inner as { cause?: unknown }).cause = outer;
    expect(causeChain(outer)).toEqual([outer, inner]);
    const parts = [new Error('a'), new Error('b')];
    const aggregate = new AggregateError(parts, 'all');
    expect(causeChain(new Error('top', { cause: aggregate }))).toHaveLength(4);
  });
});

describe('timeoutFailure', () => {
  it('names the phase and the limit', () => {
    expect(timeoutFailure('connect', 150)).toEqual({
      code: 'TIMEOUT',
      phase: 'connect',
      message: 'timed out in the connect phase: not connected within 150 ms',
    });
    expect(timeoutFailure('headers', 600).message).toBe(
      'timed out in the headers phase: no response headers within 600 ms',
    );
  });
});
