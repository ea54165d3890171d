import {
  EventClient,
  TransportTimeoutError,
  type EventTransport,
  type TransportRequest,
} from '@events-protocol/client';
import { deadlineHeader, fixedSchedule } from '@events-protocol/core';
import { describe, expect, it } from 'vitest';

/** A transport of the caller's that fails every attempt as `fail` says, and records what each attempt carried. */
function failingTransport(fail: () => Promise<never>): {
  transport: EventTransport;
  sent: TransportRequest[];
} {
  const sent: TransportRequest[] = [];
  const transport: EventTransport = {
    send: (request) => {
      sent.push(request);
      return fail();
    },
    close: () => Promise.resolve(),
  };
  return { transport, sent };
}

function busyFor(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // Holds the event loop, as a long synchronous task of an application would.
  }
}

const deadlineOf = (request: TransportRequest): number =>
  Number(request.headers[request.headers.indexOf(deadlineHeader) + 1]);

describe('the attempts of a call, through a transport of the caller’s', () => {
  it('retries a timed-out attempt within what is left of the call, each attempt told its remaining time', async () => {
    const { transport, sent } = failingTransport(() => Promise.reject(new TransportTimeoutError('no answer')));
    const client = new EventClient({ transport, retry: fixedSchedule({ delayMs: 30, maxAttempts: 3 }) });
    const result = await client.sendEvent({ name: 'x', timeout: 5000 });
    expect(result).toMatchObject({ kind: 'timeout', attempts: 3, timeoutMs: 5000 });
    expect(sent).toHaveLength(3);
    const remaining = sent.map((request) => request.timeoutMs);
    expect(remaining[0]).toBeLessThanOrEqual(5000);
    expect(remaining[1]).toBeLessThan(remaining[0]!);
    expect(remaining[2]).toBeLessThan(remaining[1]!);
    expect(sent.map(deadlineOf)).toEqual(remaining.map(Math.floor));
    expect(new Set(sent.map((request) => request.body)).size).toBe(1);
  });

  it('ends as a timeout counting only the attempts made when the pause before a retry outlives the call', async () => {
    const { transport, sent } = failingTransport(() => {
      // While the client waits 20 ms to retry, the event loop is held past the call's 150 ms.
      setTimeout(() => busyFor(250), 0);
      return Promise.reject(new TransportTimeoutError('no answer'));
    });
    const client = new EventClient({ transport, retry: fixedSchedule({ delayMs: 20, maxAttempts: 5 }) });
    const result = await client.sendEvent({ name: 'x', timeout: 150 });
    expect(sent).toHaveLength(1);
    expect(result).toMatchObject({ kind: 'timeout', attempts: 1, timeoutMs: 150 });
    expect(result).not.toHaveProperty('phase');
  });

  it('reads a transport that throws instead of rejecting as an unreachable server, and retries it', async () => {
    let calls = 0;
    const transport: EventTransport = {
      send: () => {
        calls++;
        throw new Error('socket refused');
      },
      close: () => Promise.resolve(),
    };
    const once = new EventClient({ transport });
    expect(await once.sendEvent({ name: 'x' })).toMatchObject({
      kind: 'failedDependency',
      reason: 'unreachable',
      attempts: 1,
    });
    const retrying = new EventClient({ transport, retry: fixedSchedule({ delayMs: 5, maxAttempts: 3 }) });
    expect(await retrying.sendEvent({ name: 'x' })).toMatchObject({
      kind: 'failedDependency',
      reason: 'unreachable',
      attempts: 3,
    });
    expect(calls).toBe(4);
  });
});
