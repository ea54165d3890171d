import { maxBatchSize, type OutboxItem } from '@events-protocol/outbox';
import { outgoingEvent, type PublishedEvent } from '@events-protocol/publish';
import { webhookDeliveryId } from './delivery-id.js';
import type { Subscription } from './subscription.js';

/** Where one subscription's delivery of an event stands after `deliverEvent` or `deliverEvents`. */
export interface DeliveryStatus {
  readonly subscriptionId: string;
  /** The delivery's id, its outbox entry's (see `webhookDeliveryId`). */
  readonly deliveryId: string;
  /** `duplicate`: this event was recorded for the subscription before, and is not delivered again. */
  readonly state: 'pending' | 'duplicate';
}

/** The outbox entries of a batch of events, in the order of the events, and of their subscriptions. */
export interface DeliveryPlan {
  /** Transactions' worth of entries: whole events, at most `maxBatchSize` entries each (an event with more spans several alone). */
  readonly chunks: readonly (readonly OutboxItem[])[];
  /** How many entries each event has, in the order of the events. */
  readonly counts: readonly number[];
}

/**
 * One outbox entry per (active subscription, event): topic the subscription id, id the
 * deterministic {@link webhookDeliveryId}, ordering key the subscription id when it is `ordered`
 * (so each waits until the one stored before it is delivered or given up), the event stored
 * with `identity` (each attempt decides whether to send it) and never with `auth`. Entries are packed into as few chunks as fit, never
 * splitting an event's entries unless they alone pass `maxBatchSize`.
 */
export function planDeliveries(
  events: readonly PublishedEvent[],
  subscriptionsFor: (eventType: string) => readonly Subscription[],
  limit = maxBatchSize,
): DeliveryPlan {
  const chunks: OutboxItem[][] = [];
  const counts: number[] = [];
  let chunk: OutboxItem[] = [];
  for (const event of events) {
    const subscriptions = subscriptionsFor(event.name);
    counts.push(subscriptions.length);
    if (subscriptions.length === 0) continue;
    if (chunk.length > 0 && chunk.length + subscriptions.length > limit) {
      chunks.push(chunk);
      chunk = [];
    }
    const stored = outgoingEvent(event, { identity: true });
    for (const subscription of subscriptions) {
      if (chunk.length === limit) {
        chunks.push(chunk);
        chunk = [];
      }
      const id = webhookDeliveryId(subscription.id, event.id);
      // An ordered subscription's entries share its id as ordering key: each waits for the one before.
      const order = subscription.ordered === true ? { orderingKey: subscription.id } : {};
      chunk.push({ event: stored, id, topic: subscription.id, ...order });
    }
  }
  if (chunk.length > 0) chunks.push(chunk);
  return { chunks, counts };
}

/** Each event's statuses, from the plan and the stored flags of its entries (in the same order). */
export function deliveryStatuses(plan: DeliveryPlan, stored: readonly boolean[]): DeliveryStatus[][] {
  const items = plan.chunks.flat();
  let offset = 0;
  return plan.counts.map((count) => {
    const start = offset;
    offset += count;
    return items.slice(start, offset).map((item, index) => ({
      subscriptionId: item.topic ?? '',
      deliveryId: item.id ?? '',
      state: stored[start + index] === true ? 'pending' : 'duplicate',
    }));
  });
}
