import type { Request, Response, Router } from 'express';
import { endpointStateOf } from '../endpoint-health-view.js';
import { endpointSuccessRate } from '../endpoint-health.js';
import { redactSubscription } from '../subscription.js';
import type { WebhookDeliveryViews } from '../webhook-deliveries.js';
import { WebhookError, WebhookErrorCode } from '../webhook-error.js';
import type { RotateSecretOptions, WebhookSubscriptions } from '../webhook-subscriptions.js';

type SubscriptionRequest = Request<{ id: string }>;

/** The JSON object a body holds; `{}` for none. @throws {WebhookError} `INVALID_OPTIONS` for anything else. */
function bodyOf(request: SubscriptionRequest): Record<string, unknown> {
  const body: unknown = request.body;
  if (body === undefined || body === null || (typeof body === 'object' && Object.keys(body).length === 0)) return {};
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new WebhookError(WebhookErrorCode.InvalidOptions, 'the body must be a JSON object');
  }
  return body as Record<string, unknown>;
}

/** The `since` of a recover body: an ISO-8601 date. @throws {WebhookError} `INVALID_OPTIONS`. */
function sinceOf(body: Record<string, unknown>): Date {
  const since = body.since;
  const date = typeof since === 'string' ? new Date(since) : undefined;
  if (date === undefined || Number.isNaN(date.getTime())) {
    throw new WebhookError(
      WebhookErrorCode.InvalidOptions,
      'since must be an ISO-8601 date, e.g. 2026-01-31T12:00:00Z',
    );
  }
  return date;
}

/**
 * Serves each subscription's endpoint controls: `POST …/:id/disable` (`{ reason? }`),
 * `POST …/:id/enable`, `POST …/:id/rotate-secret` (`{ overlapMs?, secret? }`; the answer carries
 * the new secret, once, with `cache-control: no-store`), `GET …/:id/health` (state, success rate
 * and health), and with `deliveries` `POST …/:id/recover` (`{ since }`: redelivers what was given
 * up since then).
 */
export function addEndpointRoutes(
  router: Router,
  path: string,
  subscriptions: WebhookSubscriptions,
  deliveries: WebhookDeliveryViews | undefined,
): void {
  router.post(`${path}/:id/disable`, async (request: SubscriptionRequest, response: Response) => {
    const { reason } = bodyOf(request);
    const options = reason === undefined ? {} : { reason: reason as string };
    response.json(redactSubscription(await subscriptions.disable(request.params.id, options)));
  });
  router.post(`${path}/:id/enable`, async (request: SubscriptionRequest, response: Response) => {
    response.json(redactSubscription(await subscriptions.enable(request.params.id)));
  });
  router.post(`${path}/:id/rotate-secret`, async (request: SubscriptionRequest, response: Response) => {
    const { overlapMs, secret } = bodyOf(request);
    const options: RotateSecretOptions = {
      ...(overlapMs === undefined ? {} : { overlapMs: overlapMs as number }),
      ...(secret === undefined ? {} : { secret: secret as string }),
    };
    const rotated = await subscriptions.rotateSecret(request.params.id, options);
    // The one answer that shows the new secret: no cache may keep it.
    response.set('cache-control', 'no-store');
    response.json({ subscription: redactSubscription(rotated.subscription), secret: rotated.secret });
  });
  router.get(`${path}/:id/health`, async (request: SubscriptionRequest, response: Response) => {
    const subscription = await subscriptions.get(request.params.id);
    const health = await subscriptions.health(request.params.id);
    response.json({
      state: endpointStateOf(subscription, health),
      successRate: endpointSuccessRate(health) ?? null,
      health,
    });
  });
  if (deliveries === undefined) return;
  router.post(`${path}/:id/recover`, async (request: SubscriptionRequest, response: Response) => {
    const since = sinceOf(bodyOf(request));
    await subscriptions.get(request.params.id);
    response.json({ redelivered: await deliveries.redeliver({ subscriptionId: request.params.id, since }) });
  });
}
