import { isPublishError } from '@events-protocol/publish';
import { describe, expect, it } from 'vitest';
import { EndpointGate } from './endpoint-gate.js';
import { EndpointLimiter } from './endpoint-limiter.js';

const bound = 250;

describe('EndpointGate', () => {
  it('spaces attempts 1/rate apart, waits for a slot within the bound, and staggers the ones put back', () => {
    const gate = new EndpointGate();
    const fast = { rateLimitPerSecond: 5 };
    expect(gate.admit(fast, 0, bound, bound)).toEqual({ kind: 'admitted' });
    expect(gate.admit(fast, 0, bound, bound)).toEqual({ kind: 'wait', ms: 200 });
    expect(gate.admit(fast, 200, bound, bound)).toEqual({ kind: 'admitted' });

    const slow = new EndpointGate();
    const once = { rateLimitPerSecond: 1 };
    expect(slow.admit(once, 0, bound, bound)).toEqual({ kind: 'admitted' });
    expect(slow.admit(once, 0, bound, bound)).toEqual({ kind: 'defer', ms: 1000, reason: 'rate' });
    expect(slow.admit(once, 0, bound, bound)).toEqual({ kind: 'defer', ms: 2000, reason: 'rate' });
    expect(slow.admit(once, 1000, 1000 + bound, bound)).toEqual({ kind: 'admitted' });
  });

  it('holds at most maxConcurrency attempts, waits up to the deadline for one to end, then puts back', () => {
    const gate = new EndpointGate();
    const two = { maxConcurrency: 2 };
    expect(gate.admit(two, 0, bound, bound).kind).toBe('admitted');
    expect(gate.admit(two, 0, bound, bound).kind).toBe('admitted');
    expect(gate.admit(two, 0, bound, bound)).toEqual({ kind: 'wait', ms: bound });
    expect(gate.admit(two, bound, bound, bound)).toMatchObject({ kind: 'defer', reason: 'concurrency' });
    gate.release(bound, 100, undefined);
    expect(gate.admit(two, bound, bound, bound).kind).toBe('admitted');
  });

  it('pauses every attempt for the Retry-After one answer asked for', () => {
    const gate = new EndpointGate();
    expect(gate.admit({}, 0, bound, bound).kind).toBe('admitted');
    gate.release(10, 5, 5000);
    expect(gate.admit({}, 10, 10 + bound, bound)).toEqual({ kind: 'defer', ms: 5000, reason: 'paused' });
    expect(gate.admit({}, 4900, 4900 + bound, bound)).toEqual({ kind: 'wait', ms: 110 });
    expect(gate.admit({}, 5010, 5010 + bound, bound).kind).toBe('admitted');
  });

  it('lets one attempt of an ordered endpoint be in flight at a time', () => {
    const gate = new EndpointGate();
    const ordered = { ordered: true };
    expect(gate.admit(ordered, 0, bound, bound).kind).toBe('admitted');
    expect(gate.admit(ordered, 0, bound, bound)).toMatchObject({ kind: 'defer', reason: 'ordered' });
    gate.release(20, 20, undefined);
    expect(gate.admit(ordered, 20, 20 + bound, bound).kind).toBe('admitted');
  });
});

describe('EndpointLimiter', () => {
  it('rejects an attempt that would wait past the bound with DEFERRED and when to come back', async () => {
    let now = 0;
    const limiter = new EndpointLimiter({ maxWaitMs: bound, now: () => now });
    const permit = await limiter.acquire('sub-1', { rateLimitPerSecond: 1 });
    const deferred: unknown = await limiter
      .acquire('sub-1', { rateLimitPerSecond: 1 })
      .catch((error: unknown) => error);
    expect(isPublishError(deferred) && deferred.code).toBe('DEFERRED');
    expect(isPublishError(deferred) && deferred.retryAfterMs).toBe(1000);
    // Other endpoints have their own limits.
    await expect(limiter.acquire('sub-2', { rateLimitPerSecond: 1 })).resolves.toBeDefined();
    permit.release({ durationMs: 5 });
    now = 1000;
    await expect(limiter.acquire('sub-1', { rateLimitPerSecond: 1 })).resolves.toBeDefined();
  });

  it('wakes an attempt waiting for a concurrency slot when one ends', async () => {
    const limiter = new EndpointLimiter({ maxWaitMs: 60_000, now: Date.now });
    const first = await limiter.acquire('sub-1', { maxConcurrency: 1 });
    const second = limiter.acquire('sub-1', { maxConcurrency: 1 });
    setTimeout(() => first.release({ durationMs: 1 }), 20);
    await expect(second).resolves.toBeDefined();
  });
});
