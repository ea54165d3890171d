import type { Outbox, PurgeSelection, StoredEntry } from '@events-protocol/outbox';
import { WebhookError, WebhookErrorCode } from './webhook-error.js';

/** A delivery of one event to one subscription, as operators see it: its outbox entry, named for webhooks. */
export interface WebhookDelivery extends StoredEntry {
  /** The subscription it is for (the entry's topic). */
  readonly subscriptionId: string;
  readonly eventId: string;
  /** The event's name. */
  readonly eventType: string;
}

/** Which deliveries {@link WebhookDeliveries.listDeliveries} lists, a page at a time. */
export interface ListDeliveriesOptions {
  /** Only this subscription's. */
  subscriptionId?: string;
  /**
   * `pending` (due, retrying or being attempted) or `undelivered` (given up); both when absent,
   * pending first. Delivered ones are not listed: read one with `getDelivery`.
   */
  state?: 'pending' | 'undelivered';
  /** At most this many (100 by default, 10,000 at most). */
  limit?: number;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
}

/** One page of deliveries, oldest first. */
export interface DeliveryPage {
  deliveries: WebhookDelivery[];
  /** Pass as `cursor` for the next page; `undefined` on the last page. */
  nextCursor: string | undefined;
}

/** Undelivered deliveries to act on: by id, or by subscription and failure time (`{}` for all). */
export type DeliverySelection = { ids: readonly string[] } | { subscriptionId?: string; since?: Date; until?: Date };

/** What {@link WebhookDeliveries.purge} removes: undelivered deliveries, or delivered ones by age. */
export type DeliveryPurge = DeliverySelection | { delivered: PurgeSelection };

/** Reads and acts on deliveries; the dispatcher serves these, and so can any process on the same store. */
export interface WebhookDeliveryViews {
  listDeliveries(options?: ListDeliveriesOptions): Promise<DeliveryPage>;
  getDelivery(id: string): Promise<WebhookDelivery | undefined>;
  redeliver(selection: DeliverySelection): Promise<number>;
  purge(selection: DeliveryPurge): Promise<number>;
}

/** An outbox entry as a webhook delivery. */
export function asDelivery(entry: StoredEntry): WebhookDelivery {
  return { ...entry, subscriptionId: entry.topic ?? '', eventId: entry.event.id, eventType: entry.event.name };
}

function page(options: ListDeliveriesOptions, cursor: string | undefined) {
  return {
    ...(options.subscriptionId === undefined ? {} : { topic: options.subscriptionId }),
    ...(options.limit === undefined ? {} : { limit: options.limit }),
    ...(cursor === undefined ? {} : { cursor }),
  };
}

function undeliveredFilter(selection: DeliverySelection) {
  if ('ids' in selection) return { ids: selection.ids };
  return {
    ...(selection.subscriptionId === undefined ? {} : { topic: selection.subscriptionId }),
    ...(selection.since === undefined ? {} : { since: selection.since }),
    ...(selection.until === undefined ? {} : { until: selection.until }),
  };
}

/**
 * The operators' view of webhook deliveries, over the outbox that holds them: list by
 * subscription and state, read one with its attempts, deliver given-up ones again, purge.
 */
export class WebhookDeliveries implements WebhookDeliveryViews {
  readonly #outbox: Outbox;

  constructor(outbox: Outbox) {
    this.#outbox = outbox;
  }

  /**
   * Lists deliveries, oldest first. Without `state` it lists pending ones, then undelivered
   * ones; the cursor says where it stands (`p…` in pending, `u…` in undelivered).
   *
   * @throws {WebhookError} `INVALID_OPTIONS` for a cursor this method did not give.
   */
  async listDeliveries(options: ListDeliveriesOptions = {}): Promise<DeliveryPage> {
    if (options.state === 'pending') return this.#pending(options, options.cursor);
    if (options.state === 'undelivered') return this.#undelivered(options, options.cursor);
    const cursor = options.cursor ?? 'p';
    const phase = cursor[0];
    const rest = cursor.length > 1 ? cursor.slice(1) : undefined;
    if (phase === 'u') {
      const found = await this.#undelivered(options, rest);
      return { ...found, nextCursor: found.nextCursor === undefined ? undefined : `u${found.nextCursor}` };
    }
    if (phase !== 'p') {
      throw new WebhookError(WebhookErrorCode.InvalidOptions, `cursor '${cursor}' is not one listDeliveries gave`);
    }
    const found = await this.#pending(options, rest);
    return { ...found, nextCursor: found.nextCursor === undefined ? 'u' : `p${found.nextCursor}` };
  }

  /** One delivery in any state, with its kept attempts; `undefined` when unknown (or purged). */
  async getDelivery(id: string): Promise<WebhookDelivery | undefined> {
    const entry = await this.#outbox.getEntry(id);
    return entry === undefined ? undefined : asDelivery(entry);
  }

  /** Makes undelivered deliveries due again with fresh attempts; resolves to how many. */
  redeliver(selection: DeliverySelection): Promise<number> {
    return this.#outbox.redeliver(undeliveredFilter(selection));
  }

  /**
   * Recovers an endpoint after an outage: makes every undelivered delivery of the subscription
   * that was given up at or after `since` due again, with fresh attempts (the same `webhook-id`,
   * so a receiver deduplicates what it had). Deliveries given up before `since`, and those of
   * other subscriptions, stay as they are. Resolves to how many. Deliveries of a subscription that
   * is still disabled are given up again at once: enable it first.
   *
   * @example
   * await subscriptions.enable(id);
   * await deliveries.recover(id, new Date(Date.now() - 6 * 60 * 60 * 1000));
   * @throws {WebhookError} `INVALID_OPTIONS` for an empty subscription id or an invalid date.
   */
  recover(subscriptionId: string, since: Date): Promise<number> {
    if (typeof subscriptionId !== 'string' || subscriptionId === '') {
      return Promise.reject(new WebhookError(WebhookErrorCode.InvalidOptions, 'recover needs a subscription id'));
    }
    if (!(since instanceof Date) || Number.isNaN(since.getTime())) {
      return Promise.reject(new WebhookError(WebhookErrorCode.InvalidOptions, 'recover needs `since` as a valid Date'));
    }
    return this.#outbox.redeliver({ topic: subscriptionId, since });
  }

  /** Deletes undelivered deliveries for good, or delivered ones older than a date or retention; resolves to how many. */
  purge(selection: DeliveryPurge): Promise<number> {
    if ('delivered' in selection) return this.#outbox.purgeDelivered(selection.delivered);
    return this.#outbox.deleteUndelivered(undeliveredFilter(selection));
  }

  async #pending(options: ListDeliveriesOptions, cursor: string | undefined): Promise<DeliveryPage> {
    const found = await this.#outbox.listPending(page(options, cursor));
    return { deliveries: found.events.map(asDelivery), nextCursor: found.nextCursor };
  }

  async #undelivered(options: ListDeliveriesOptions, cursor: string | undefined): Promise<DeliveryPage> {
    const found = await this.#outbox.listUndelivered(page(options, cursor));
    return { deliveries: found.events.map(asDelivery), nextCursor: found.nextCursor };
  }
}
