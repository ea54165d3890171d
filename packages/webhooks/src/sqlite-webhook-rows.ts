import { readJson } from '@events-protocol/core';
import type { PublishedEvent } from '@events-protocol/publish';
import type { AttemptRecord, Delivery, DeliveryState } from './webhook-store.js';

/** A `webhook_deliveries` row as SQLite returns it. */
export interface DeliveryRow {
  id: number;
  subscription_id: string;
  event_id: string;
  event_type: string;
  event: string;
  state: DeliveryState;
  attempts: number;
  next_attempt_at: number;
  created_at: number;
}

/** A `webhook_attempts` row as SQLite returns it. */
export interface AttemptRow {
  delivery_id: number;
  subscription_id: string;
  event_id: string;
  attempt: number;
  requested_at: number;
  duration_ms: number;
  status: number | null;
  response_excerpt: string | null;
  error: string | null;
}

/** A delivery row as the store's {@link Delivery}. */
export function toDelivery(row: DeliveryRow): Delivery {
  return {
    id: row.id,
    subscriptionId: row.subscription_id,
    eventId: row.event_id,
    eventType: row.event_type,
    event: readJson(row.event) as PublishedEvent,
    state: row.state,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    createdAt: row.created_at,
  };
}

/** An attempt row as the store's {@link AttemptRecord}. */
export function toAttempt(row: AttemptRow): AttemptRecord {
  return {
    deliveryId: row.delivery_id,
    subscriptionId: row.subscription_id,
    eventId: row.event_id,
    attempt: row.attempt,
    requestedAt: row.requested_at,
    durationMs: row.duration_ms,
    status: row.status ?? undefined,
    responseExcerpt: row.response_excerpt ?? undefined,
    error: row.error ?? undefined,
  };
}
