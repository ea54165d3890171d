import { isOutboxError } from '@events-protocol/outbox';
import type { Request, Response, Router } from 'express';
import { parseWebhookDeliveryId } from '../delivery-id.js';
import type { ListDeliveriesOptions, WebhookDelivery, WebhookDeliveryViews } from '../webhook-deliveries.js';
import { isWebhookError } from '../webhook-error.js';
import type { WebhookSubscriptions } from '../webhook-subscriptions.js';

type SubscriptionRequest = Request<{ id: string }>;

/** A delivery as the admin API shows it: everything but the event itself, which may carry identity. */
function shown({ event: _event, attributes: _attributes, ...delivery }: WebhookDelivery) {
  return delivery;
}

function bad(response: Response, message: string): void {
  response.status(400).json({ code: 'INVALID_QUERY', message });
}

/** The page a query asks for, or a message saying what is wrong with it. */
function pageOf(request: SubscriptionRequest): ListDeliveriesOptions | string {
  const { state, limit, cursor } = request.query;
  const options: ListDeliveriesOptions = { subscriptionId: request.params.id };
  if (state !== undefined) {
    if (state !== 'pending' && state !== 'undelivered') return 'state must be pending or undelivered';
    options.state = state;
  }
  if (limit !== undefined) {
    if (typeof limit !== 'string' || !/^\d{1,5}$/.test(limit) || Number(limit) < 1 || Number(limit) > 10_000) {
      return 'limit must be an integer from 1 to 10000';
    }
    options.limit = Number(limit);
  }
  if (cursor !== undefined) {
    if (typeof cursor !== 'string') return 'cursor must be given once';
    options.cursor = cursor;
  }
  return options;
}

/** The delivery ids a body names, kept to this subscription's; `undefined` when the body names none. */
function idsOf(request: SubscriptionRequest): string[] | undefined | 'invalid' {
  const ids = (request.body as { ids?: unknown } | null | undefined)?.ids;
  if (ids === undefined) return undefined;
  if (!Array.isArray(ids) || !ids.every((id): id is string => typeof id === 'string')) return 'invalid';
  return ids.filter((id) => parseWebhookDeliveryId(id)?.subscriptionId === request.params.id);
}

/**
 * Serves a subscription's deliveries beside it: `GET …/:id/deliveries` and `…/:id/attempts`
 * (pages: `?state=pending|undelivered&limit=&cursor=`), `GET …/:id/deliveries/:deliveryId`,
 * `POST …/:id/deliveries/redeliver` and `POST …/:id/deliveries/purge` (undelivered ones; a body
 * `{ ids }` picks some, none picks all of the subscription's).
 */
export function addDeliveryRoutes(
  router: Router,
  path: string,
  subscriptions: WebhookSubscriptions,
  deliveries: WebhookDeliveryViews,
): void {
  const list = async (request: SubscriptionRequest, response: Response, attempts: boolean) => {
    await subscriptions.get(request.params.id);
    const options = pageOf(request);
    if (typeof options === 'string') {
      bad(response, options);
      return;
    }
    let found;
    try {
      found = await deliveries.listDeliveries(options);
    } catch (error) {
      // A cursor that is not one we gave: the outbox's refusal, or ours for the combined listing.
      if ((!isOutboxError(error) && !isWebhookError(error)) || error.code !== 'INVALID_OPTIONS') throw error;
      bad(response, error.message);
      return;
    }
    if (!attempts) {
      response.json({ deliveries: found.deliveries.map(shown), nextCursor: found.nextCursor });
      return;
    }
    response.json({
      attempts: found.deliveries.flatMap((delivery) =>
        delivery.history.map((record) => ({ deliveryId: delivery.id, eventId: delivery.eventId, ...record })),
      ),
      nextCursor: found.nextCursor,
    });
  };
  router.get(`${path}/:id/deliveries`, (request: SubscriptionRequest, response: Response) =>
    list(request, response, false),
  );
  router.get(`${path}/:id/attempts`, (request: SubscriptionRequest, response: Response) =>
    list(request, response, true),
  );
  router.get(
    `${path}/:id/deliveries/:deliveryId`,
    async (request: Request<{ id: string; deliveryId: string }>, response: Response) => {
      await subscriptions.get(request.params.id);
      const delivery = await deliveries.getDelivery(request.params.deliveryId);
      if (delivery?.subscriptionId !== request.params.id) {
        response.status(404).json({ code: 'DELIVERY_NOT_FOUND', message: 'no such delivery of this subscription' });
        return;
      }
      response.json(shown(delivery));
    },
  );
  for (const action of ['redeliver', 'purge'] as const) {
    router.post(`${path}/:id/deliveries/${action}`, async (request: SubscriptionRequest, response: Response) => {
      await subscriptions.get(request.params.id);
      const ids = idsOf(request);
      if (ids === 'invalid') {
        bad(response, 'ids must be a list of delivery ids');
        return;
      }
      const selection = ids === undefined ? { subscriptionId: request.params.id } : { ids };
      const count = action === 'redeliver' ? await deliveries.redeliver(selection) : await deliveries.purge(selection);
      response.json(action === 'redeliver' ? { redelivered: count } : { purged: count });
    });
  }
}
