import { describe, expect, it } from 'vitest';
import { healthOutcomeOf } from './endpoint-health-outcome.js';
import { checkEndpointPolicy, endpointDisableDecision } from './endpoint-policy.js';
import { isWebhookError } from './webhook-error.js';

const since = Date.UTC(2026, 0, 1);
const failing = (consecutiveFailures: number) => ({
  subscriptionId: 's',
  consecutiveFailures,
  failingSince: new Date(since).toISOString(),
  delivered: 0,
  failed: consecutiveFailures,
});

describe('endpointDisableDecision', () => {
  it('disables at the N-th consecutive failure, not before', () => {
    const policy = { disableAfterFailures: 3 };
    expect(endpointDisableDecision(policy, failing(2), since)).toBeUndefined();
    expect(endpointDisableDecision(policy, failing(3), since)).toMatchObject({ rule: 'consecutive-failures' });
  });

  it('disables once failing for D, measured from the first failure after the last success', () => {
    const policy = { disableAfterMs: 1000 };
    expect(endpointDisableDecision(policy, failing(9), since + 999)).toBeUndefined();
    expect(endpointDisableDecision(policy, failing(1), since + 1000)).toMatchObject({ rule: 'failing-too-long' });
  });

  it('never disables a healthy endpoint, nor without a rule', () => {
    const healthy = { subscriptionId: 's', consecutiveFailures: 0, delivered: 5, failed: 5 };
    expect(endpointDisableDecision({ disableAfterFailures: 1, disableAfterMs: 1 }, healthy, since * 2)).toBeUndefined();
    expect(endpointDisableDecision({}, failing(1_000_000), since * 2)).toBeUndefined();
  });
});

describe('checkEndpointPolicy', () => {
  it('refuses numbers that are not positive integers, with INVALID_OPTIONS', () => {
    for (const policy of [
      { disableAfterFailures: 0 },
      { disableAfterFailures: 2.5 },
      { disableAfterMs: -1 },
      { disableAfterMs: 400 * 24 * 3_600_000 },
      { onEndpointDisabled: 'call me' as never },
    ]) {
      let error: unknown;
      try {
        checkEndpointPolicy(policy);
      } catch (caught) {
        error = caught;
      }
      expect(isWebhookError(error) && error.code).toBe('INVALID_OPTIONS');
    }
    expect(checkEndpointPolicy({ disableAfterFailures: 1, disableAfterMs: 1 })).toEqual({
      disableAfterFailures: 1,
      disableAfterMs: 1,
    });
  });
});

describe('healthOutcomeOf', () => {
  const attempt = { attempt: 1, at: new Date(since).toISOString(), durationMs: 3 };
  it('counts what the endpoint answered, and nothing of the dispatcher’s own', () => {
    expect(healthOutcomeOf({ ...attempt, outcome: 'delivered', status: 204 })).toBe('delivered');
    for (const code of ['REJECTED', 'TIMEOUT', 'UNREACHABLE']) {
      expect(healthOutcomeOf({ ...attempt, outcome: 'failed', error: { message: 'x', code } })).toBe('failed');
    }
    for (const code of ['UNDELIVERABLE', 'DEFERRED', 'ATTEMPTS_EXHAUSTED', 'SCHEDULE_FAILED', 'ABORTED', undefined]) {
      expect(
        healthOutcomeOf({
          ...attempt,
          outcome: 'failed',
          error: { message: 'x', ...(code === undefined ? {} : { code }) },
        }),
      ).toBeUndefined();
    }
    expect(
      healthOutcomeOf({ ...attempt, outcome: 'interrupted', error: { message: 'x', code: 'LEASE_EXPIRED' } }),
    ).toBeUndefined();
  });
});
