import { createPublishedEvent } from '@events-protocol/publish';
import { describe, expect, it } from 'vitest';
import { webhookDeliveryId } from './delivery-id.js';
import { deliveryStatuses, planDeliveries } from './delivery-plan.js';
import type { Subscription } from './subscription.js';

const subscriptions = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, index) => ({ id: `${prefix}${index}` }) as unknown as Subscription);

const event = (name: string, id: string) =>
  createPublishedEvent({ name, id, payload: { id }, identity: { userId: 'u' }, auth: { token: 't' } });

describe('planDeliveries', () => {
  it('makes one entry per (subscription, event), in order, with the deterministic id, identity kept and auth dropped', () => {
    const byType: Record<string, Subscription[]> = { placed: subscriptions('p', 2), shipped: subscriptions('s', 1) };
    const events = [event('placed', 'e1'), event('nobody', 'e2'), event('shipped', 'e3'), event('placed', 'e4')];
    const plan = planDeliveries(events, (type) => byType[type] ?? []);
    expect(plan.counts).toEqual([2, 0, 1, 2]);
    expect(plan.chunks).toHaveLength(1);
    expect(plan.chunks[0]?.map((item) => [item.id, item.topic])).toEqual([
      [webhookDeliveryId('p0', 'e1'), 'p0'],
      [webhookDeliveryId('p1', 'e1'), 'p1'],
      [webhookDeliveryId('s0', 'e3'), 's0'],
      [webhookDeliveryId('p0', 'e4'), 'p0'],
      [webhookDeliveryId('p1', 'e4'), 'p1'],
    ]);
    expect(plan.chunks[0]?.[0]?.event.identity).toEqual({ userId: 'u' });
    expect(plan.chunks[0]?.[0]?.event.auth).toEqual({});
  });

  it('gives an ordered subscription’s entries its id as ordering key, and others none', () => {
    const ordered = { id: 'ordered', ordered: true } as unknown as Subscription;
    const plain = { id: 'plain' } as unknown as Subscription;
    const plan = planDeliveries([event('placed', 'e1'), event('placed', 'e2')], () => [ordered, plain]);
    expect(plan.chunks.flat().map((item) => [item.topic, item.orderingKey])).toEqual([
      ['ordered', 'ordered'],
      ['plain', undefined],
      ['ordered', 'ordered'],
      ['plain', undefined],
    ]);
  });

  it('packs whole events into chunks of at most the limit, splitting only an event that alone passes it', () => {
    const byType: Record<string, Subscription[]> = { three: subscriptions('t', 3), seven: subscriptions('s', 7) };
    const events = [event('three', 'a'), event('three', 'b'), event('seven', 'c'), event('three', 'd')];
    const plan = planDeliveries(events, (type) => byType[type] ?? [], 5);
    expect(plan.chunks.map((chunk) => chunk.length)).toEqual([3, 3, 5, 5]);
    expect(plan.chunks.flat().map((item) => item.event.id)).toEqual([
      ...['a', 'a', 'a', 'b', 'b', 'b'],
      ...Array.from({ length: 7 }, () => 'c'),
      ...['d', 'd', 'd'],
    ]);
    // 'd' fits beside the rest of 'c', which alone spanned two chunks; no event of 'three' is split.
    expect(plan.chunks[3]?.map((item) => item.event.id)).toEqual(['c', 'c', 'd', 'd', 'd']);
  });

  it('has no chunk at all when no event has a subscription', () => {
    expect(planDeliveries([event('x', 'a')], () => [])).toEqual({ chunks: [], counts: [0] });
  });
});

describe('deliveryStatuses', () => {
  it('gives each event its own statuses from the flags of its entries', () => {
    const byType: Record<string, Subscription[]> = { two: subscriptions('t', 2), one: subscriptions('o', 1) };
    const plan = planDeliveries(
      [event('two', 'a'), event('none', 'b'), event('one', 'c')],
      (type) => byType[type] ?? [],
      2,
    );
    expect(deliveryStatuses(plan, [true, false, true])).toEqual([
      [
        { subscriptionId: 't0', deliveryId: webhookDeliveryId('t0', 'a'), state: 'pending' },
        { subscriptionId: 't1', deliveryId: webhookDeliveryId('t1', 'a'), state: 'duplicate' },
      ],
      [],
      [{ subscriptionId: 'o0', deliveryId: webhookDeliveryId('o0', 'c'), state: 'pending' }],
    ]);
  });
});
