import type { AttemptRecord } from '@events-protocol/outbox';
import type { PublishedEvent } from '@events-protocol/publish';

/** What a callback learns after each attempt of a delivery: the attempt's record and what follows. */
export interface WebhookAttemptReport {
  readonly subscriptionId: string;
  readonly targetUrl: string;
  /** The delivery's id: its outbox entry's id (see `webhookDeliveryId`). */
  readonly deliveryId: string;
  /** 1 for the first attempt; interrupted attempts count. */
  readonly attempt: number;
  /** When the attempt started, as an ISO-8601 timestamp. */
  readonly at: string;
  readonly durationMs: number;
  /** `delivered`, `failed` (the target refused or could not be reached), or `interrupted`. */
  readonly outcome: AttemptRecord['outcome'];
  /** The HTTP status, when the target answered. */
  readonly status?: number | undefined;
  /** The start of the answer (at most 2 KiB), when the target answered. */
  readonly responseExcerpt?: string | undefined;
  /** Why the attempt failed; absent when delivered. */
  readonly error?: AttemptRecord['error'];
  readonly eventType: string;
  /** The event as stored for delivery (`auth` is never stored). */
  readonly event: PublishedEvent;
  /** The body sent (the event as JSON), as signed. */
  readonly payload: string;
  /** What follows: `delivered`, another attempt (`retry`, at `nextAttemptAt`), or `undelivered` for good. */
  readonly next: 'delivered' | 'retry' | 'undelivered';
  readonly nextAttemptAt?: Date | undefined;
  /** Whether the outcome was recorded; `false` when another relay had taken the delivery over. */
  readonly recorded: boolean;
}

/**
 * Called after each attempt of a subscription that names it (`callback: 'audit'`). Registered on
 * the dispatcher by name, since subscriptions are stored data and functions are not. A callback
 * that throws or rejects is logged and changes nothing about the delivery.
 */
export type WebhookCallback = (report: WebhookAttemptReport) => void | Promise<void>;
