import type { AttemptReport } from '@events-protocol/outbox';
import { createPublishedEvent } from '@events-protocol/publish';
import { describe, expect, it } from 'vitest';
import { listen, readBody } from '../support/http-server.js';
import { eventually, orderPlaced, receiver, settled, subscriptionTo, webhooks } from './harness.js';
import { storeBackends } from './store-backends.js';

// Each endpoint's limits over real HTTP, on each store: the receiver measures what arrives. One
// attempt is allowed per delivery (`maxAttempts: 1`), so a put-back attempt that spent the budget
// would leave deliveries undelivered.

const backends = storeBackends();
const oneAttempt = { retry: { schedule: 'fixed', options: { delayMs: 50, maxAttempts: 1 } } };

/** The most arrivals within any `windowMs` that starts at an arrival. */
function mostInWindow(arrivals: readonly number[], windowMs: number): number {
  const sorted = [...arrivals].sort((a, b) => a - b);
  let most = 0;
  for (const [index, start] of sorted.entries()) {
    const inside = sorted.slice(index).filter((at) => at < start + windowMs).length;
    most = Math.max(most, inside);
  }
  return most;
}

describe.each(backends)('endpoint limits on %s', (_name, open) => {
  const store = open === undefined ? {} : { open };

  it('sends at most rateLimitPerSecond a second, puts the rest back without spending attempts or reporting them', async () => {
    const { running, received, url } = await receiver();
    await using _receiver = running;
    const reports: AttemptReport[] = [];
    await using hooks = await webhooks({ ...store, concurrency: 8, onAttempt: (report) => void reports.push(report) });
    await hooks.subscriptions.create(subscriptionTo(url, { ...oneAttempt, rateLimitPerSecond: 4 }));
    const statuses = await hooks.dispatcher.deliverEvents(Array.from({ length: 12 }, (_, n) => orderPlaced(`o-${n}`)));
    const ids = statuses.flat().map((status) => status.deliveryId);
    const delivered = await Promise.all(ids.map((id) => settled(hooks.dispatcher, id, {}, 30_000)));

    expect(delivered.map((delivery) => delivery.state)).toEqual(ids.map(() => 'delivered'));
    expect(received).toHaveLength(12);
    // A one-token bucket at 4/s: at most ⌈4 × 1⌉ + 1 arrivals in any second (one more for the
    // network: the first request also opens the connection, so the next may arrive closer).
    expect(
      mostInWindow(
        received.map((request) => request.at),
        1000,
      ),
    ).toBeLessThanOrEqual(5);
    // Put-back attempts are recorded as DEFERRED, but only real attempts are reported.
    const deferrals = delivered.flatMap((delivery) => delivery.history).filter((a) => a.error?.code === 'DEFERRED');
    expect(deferrals.length).toBeGreaterThan(0);
    // The relay reports an attempt just after the store records it.
    await eventually(() => reports.length >= ids.length);
    expect(reports.map((report) => report.next)).toEqual(ids.map(() => 'delivered'));
  });

  it('keeps at most maxConcurrency attempts in flight to the endpoint', async () => {
    let inFlight = 0;
    let most = 0;
    let answered = 0;
    await using target = await listen((request, response) => {
      inFlight++;
      most = Math.max(most, inFlight);
      void readBody(request).then(() =>
        setTimeout(() => {
          inFlight--;
          answered++;
          response.writeHead(200).end('ok');
        }, 150),
      );
    });
    await using hooks = await webhooks({ ...store, concurrency: 8 });
    await hooks.subscriptions.create(subscriptionTo(`${target.origin}/hooks`, { ...oneAttempt, maxConcurrency: 2 }));
    const statuses = await hooks.dispatcher.deliverEvents(Array.from({ length: 10 }, (_, n) => orderPlaced(`o-${n}`)));
    const ids = statuses.flat().map((status) => status.deliveryId);
    const delivered = await Promise.all(ids.map((id) => settled(hooks.dispatcher, id, {}, 30_000)));

    expect(delivered.map((delivery) => delivery.state)).toEqual(ids.map(() => 'delivered'));
    expect(answered).toBe(10);
    expect(most).toBe(2);
  });

  it('does not let a limited endpoint starve another: its attempts are put back, not waited for', async () => {
    const slow = await receiver();
    await using _slow = slow.running;
    const other = await receiver();
    await using _other = other.running;
    await using hooks = await webhooks({ ...store, concurrency: 2, batchSize: 8 });
    await hooks.subscriptions.create(subscriptionTo(slow.url, { rateLimitPerSecond: 1 }));
    await hooks.subscriptions.create(subscriptionTo(other.url, { eventType: 'order:shipped' }));
    await hooks.dispatcher.deliverEvents(Array.from({ length: 12 }, (_, n) => orderPlaced(`slow-${n}`)));
    const shipped = Array.from({ length: 4 }, (_, n) =>
      createPublishedEvent({ name: 'order:shipped', payload: { orderId: `other-${n}` } }),
    );
    await hooks.dispatcher.deliverEvents(shipped);

    await eventually(() => other.received.length === 4 && slow.received.length >= 3, 30_000);
    // At 1/s the limited endpoint's third attempt starts two seconds after its first; the other
    // endpoint's deliveries, stored after all twelve, are all sent before it.
    const third = slow.received[2]?.at ?? 0;
    expect(other.received.every((request) => request.at < third)).toBe(true);
  });

  it.each([429, 503])(
    'holds every attempt to an endpoint that answered %i with Retry-After until then',
    async (status) => {
      const { running, received, url } = await receiver((n) =>
        n === 1 ? { status, headers: { 'retry-after': '2' } } : 200,
      );
      await using _receiver = running;
      await using hooks = await webhooks({ ...store, concurrency: 8 });
      await hooks.subscriptions.create(subscriptionTo(url, oneAttempt));
      const [first] = await hooks.dispatcher.deliverEvent(orderPlaced('o-first'));
      const refused = await settled(hooks.dispatcher, first?.deliveryId, { attempts: 1 });
      expect(refused.history[0]?.status).toBe(status);
      const refusedAt = received[0]?.at ?? 0;

      const statuses = await hooks.dispatcher.deliverEvents(Array.from({ length: 4 }, (_, n) => orderPlaced(`o-${n}`)));
      const ids = statuses.flat().map((status) => status.deliveryId);
      const delivered = await Promise.all(ids.map((id) => settled(hooks.dispatcher, id, {}, 30_000)));

      expect(delivered.map((delivery) => delivery.state)).toEqual(ids.map(() => 'delivered'));
      expect(received).toHaveLength(5);
      // Nothing reached the endpoint during the two seconds it asked for.
      expect(received.slice(1).every((request) => request.at >= refusedAt + 2000)).toBe(true);
    },
  );
});
