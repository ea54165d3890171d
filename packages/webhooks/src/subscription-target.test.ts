import { describe, expect, it } from 'vitest';
import type { Subscription } from './subscription.js';
import { SubscriptionTargets, type SubscriptionTarget } from './subscription-target.js';
import { CompiledTargetPolicy } from './target-policy.js';

/** The target's URL as text (URL objects have no own fields to compare), or its refusal's code. */
const hrefOf = (target: SubscriptionTarget): string | undefined =>
  'url' in target ? target.url.href : (target.refusal as { code?: string }).code;

const subscription = (fields: Partial<Subscription> = {}): Subscription => ({
  id: 'sub_1',
  eventType: 'order:placed',
  targetUrl: 'https://hooks.example/in',
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  active: true,
  retry: { schedule: 'fixed', options: { delayMs: 1000, maxAttempts: 3 } },
  createdAt: new Date(0).toISOString(),
  updatedAt: new Date(0).toISOString(),
  ...fields,
});

describe('SubscriptionTargets', () => {
  it('checks the URL and builds the fixed headers once per subscription object', () => {
    const targets = new SubscriptionTargets(new CompiledTargetPolicy());
    const one = subscription({ headers: { 'x-tenant': 'acme' }, auth: { type: 'bearer', token: 't0k' } });
    const target = targets.of(one);
    expect(hrefOf(target)).toBe('https://hooks.example/in');
    expect(target).toMatchObject({
      headers: {
        'x-tenant': 'acme',
        authorization: 'Bearer t0k',
        'content-type': 'application/json',
        'user-agent': 'events-protocol-webhooks',
      },
    });
    expect(targets.of(one)).toBe(target);
    // The same fields in another object (a subscription read again) are prepared again.
    expect(targets.of({ ...one })).not.toBe(target);
  });

  it('prepares again when the object changed in place, and keeps the refusal of a refused target', () => {
    const targets = new SubscriptionTargets(new CompiledTargetPolicy());
    const changing = { ...subscription() } as { -readonly [K in keyof Subscription]: Subscription[K] };
    expect(hrefOf(targets.of(changing))).toBe('https://hooks.example/in');
    changing.targetUrl = 'https://other.example/in';
    expect(hrefOf(targets.of(changing))).toBe('https://other.example/in');
    changing.headers = { 'x-added': 'yes' };
    expect(targets.of(changing)).toMatchObject({ headers: { 'x-added': 'yes' } });
    changing.auth = { type: 'basic', username: 'u', password: 'p' };
    expect(targets.of(changing)).toMatchObject({ headers: { authorization: `Basic ${btoa('u:p')}` } });

    changing.targetUrl = 'http://127.0.0.1:8080/in';
    const refused = targets.of(changing);
    expect(hrefOf(refused)).toBe('TARGET_REFUSED');
    expect(targets.of(changing)).toBe(refused);
    // Where the policy lets private networks through, the same target is allowed.
    const allowing = new SubscriptionTargets(new CompiledTargetPolicy({ allowPrivateNetworks: true }));
    expect(hrefOf(allowing.of(changing))).toBe('http://127.0.0.1:8080/in');
  });
});
