import type { Subscription } from './subscription.js';

/**
 * The secrets a delivery is signed with now: the subscription's current secret first, then each
 * previous one (replaced by a rotation) that has not expired yet, so that a receiver still holding
 * an old secret keeps verifying until the overlap ends.
 */
export function signingSecrets(subscription: Pick<Subscription, 'secret' | 'previousSecrets'>, now: number): string[] {
  const unexpired = (subscription.previousSecrets ?? [])
    .filter((previous) => Date.parse(previous.expiresAt) > now && previous.secret !== subscription.secret)
    .map((previous) => previous.secret);
  return [subscription.secret, ...new Set(unexpired)];
}

/** The most previous secrets kept by rotations; rotating more often drops the oldest. */
export const maxPreviousSecrets = 10;

/** The subscription without its expired previous secrets (dropped on every change). */
export function withoutExpiredSecrets(subscription: Subscription, now: number): Subscription {
  const { previousSecrets, ...rest } = subscription;
  const unexpired = (previousSecrets ?? []).filter((previous) => Date.parse(previous.expiresAt) > now);
  return unexpired.length === 0 ? rest : { ...rest, previousSecrets: unexpired };
}

/**
 * The subscription after a rotation to `secret`: the current secret joins the previous ones until
 * `now + overlapMs` (not at all when `overlapMs` is 0), newest first, expired ones dropped.
 */
export function rotatedSubscription(
  subscription: Subscription,
  secret: string,
  overlapMs: number,
  now: number,
): Subscription {
  const { previousSecrets: _dropped, ...rest } = subscription;
  const kept = withoutExpiredSecrets(subscription, now).previousSecrets ?? [];
  const replaced =
    overlapMs > 0 ? [{ secret: subscription.secret, expiresAt: new Date(now + overlapMs).toISOString() }] : [];
  const previousSecrets = [...replaced, ...kept].slice(0, maxPreviousSecrets);
  return {
    ...rest,
    secret,
    ...(previousSecrets.length === 0 ? {} : { previousSecrets }),
    updatedAt: new Date(now).toISOString(),
  };
}
