import type { PublishedEvent } from '@events-protocol/publish';
import type { AttemptResponse } from './deliver-request.js';
import type { DeliveryState } from './webhook-store.js';

/** What a callback learns after each attempt of a delivery. */
export interface WebhookAttemptReport {
  readonly subscriptionId: string;
  readonly targetUrl: string;
  readonly deliveryId: number;
  /** 1 for the first attempt. */
  readonly attempt: number;
  readonly eventType: string;
  readonly event: PublishedEvent;
  /** The exact body sent (the event as JSON), as signed. */
  readonly payload: string;
  /** The HTTP status and excerpt, or the error when no response arrived. */
  readonly response: AttemptResponse;
  /** The delivery's state after this attempt. */
  readonly state: DeliveryState;
  /** For `failed`: when the next attempt is due (ms since the epoch). */
  readonly nextAttemptAt?: number | undefined;
}

/**
 * Called after each attempt of a subscription that names it (`callback: 'audit'`). Registered on
 * the dispatcher by name, since subscriptions are stored data and functions are not. A callback
 * that throws or rejects is logged and changes nothing about the delivery.
 */
export type WebhookCallback = (report: WebhookAttemptReport) => void | Promise<void>;
