import express, { Router, type NextFunction, type Request, type Response } from 'express';
// Bodies are typed as inputs here and validated by WebhookSubscriptions, which rejects anything else.
import {
  redactSubscription,
  type Subscription,
  type SubscriptionInput,
  type SubscriptionPatch,
} from '../subscription.js';
import { isWebhookError, WebhookErrorCode } from '../webhook-error.js';
import { addDeliveryRoutes } from './delivery-routes.js';
import { addEndpointRoutes } from './endpoint-routes.js';
import type { WebhookDeliveryViews } from '../webhook-deliveries.js';
import type { WebhookSubscriptions } from '../webhook-subscriptions.js';

/** How {@link webhooksRouter} serves subscriptions. */
export interface WebhooksRouterOptions {
  subscriptions: WebhookSubscriptions;
  /**
   * Decides whether a request may manage subscriptions, typically by checking a bearer token.
   * Required: an admin API without a check is a way to send your events anywhere.
   */
  authorize: (request: Request) => boolean | Promise<boolean>;
  /**
   * Serves each subscription's deliveries and attempts, redelivery and purge when given: a
   * `WebhookDispatcher` (one with `startWorker: false` in a process that only administers).
   */
  deliveries?: WebhookDeliveryViews;
  /** Where subscriptions are served; `/webhooks/subscriptions` by default. */
  path?: string;
  /** The largest JSON body read; `64kb` by default. */
  bodyLimit?: string;
}

interface ErrorBody {
  code: string;
  message: string;
  issues?: readonly { path: string; message: string }[];
  existingId?: string;
}

function statusOf(code: WebhookErrorCode): number {
  if (code === WebhookErrorCode.SubscriptionNotFound) return 404;
  if (code === WebhookErrorCode.SubscriptionExists) return 409;
  return 400;
}

function fail(response: Response, status: number, body: ErrorBody): void {
  response.status(status).json(body);
}

/**
 * An Express 5 router to manage webhook subscriptions: `POST` creates (201), `GET` lists (with
 * `?eventType=`) or reads one, `PATCH` changes, `DELETE` removes (204). Every request passes
 * `authorize` first (401 otherwise). Errors answer JSON `{ code, message, issues? }`: 400
 * `INVALID_SUBSCRIPTION` naming each bad field, 404 `SUBSCRIPTION_NOT_FOUND`, 409 `SUBSCRIPTION_EXISTS`
 * with the `existingId` (or, with `POST …?ifExists=return`, 200 and that subscription), 400 `INVALID_JSON`.
 * Secrets and credentials never leave: they are shown masked, except a secret generated for a
 * `POST` that gave none, shown in full in that one answer.
 * With `deliveries` (a dispatcher) it serves each subscription's deliveries and attempts, a page
 * at a time, one delivery by id, and redelivery and purge of given-up ones (see `addDeliveryRoutes`).
 * Each subscription's endpoint is controlled beside it: disable, enable, rotate-secret, health,
 * and with `deliveries` recover (see `addEndpointRoutes`).
 *
 * @example
 * app.use(webhooksRouter({
 *   subscriptions,
 *   authorize: (req) => req.get('authorization') === `Bearer ${process.env.ADMIN_TOKEN}`,
 * }));
 */
export function webhooksRouter(options: WebhooksRouterOptions): Router {
  const path = options.path ?? '/webhooks/subscriptions';
  const { subscriptions, deliveries } = options;
  const router = Router();

  router.use(path, async (request: Request, response: Response, next: NextFunction) => {
    if (await options.authorize(request)) {
      next();
      return;
    }
    fail(response, 401, { code: 'UNAUTHORIZED', message: 'this request may not manage webhook subscriptions' });
  });
  router.use(path, express.json({ limit: options.bodyLimit ?? '64kb', strict: false }));

  router.post(path, async (request: Request, response: Response) => {
    let subscription: Subscription;
    try {
      subscription = await subscriptions.create(request.body as SubscriptionInput);
    } catch (error) {
      // `?ifExists=return` makes the create idempotent: the subscription already there, with 200.
      if (request.query.ifExists !== 'return' || !isWebhookError(error) || error.existingId === undefined) throw error;
      response.json(redactSubscription(await subscriptions.get(error.existingId)));
      return;
    }
    response.status(201).location(`${request.baseUrl}${path}/${encodeURIComponent(subscription.id)}`);
    // A secret the caller did not give was generated here: this answer is the one chance to learn it.
    const generated = (request.body as { secret?: unknown } | null)?.secret === undefined;
    response.json({ ...redactSubscription(subscription), ...(generated ? { secret: subscription.secret } : {}) });
  });
  router.get(path, async (request: Request, response: Response) => {
    const eventType = typeof request.query.eventType === 'string' ? request.query.eventType : undefined;
    const found = await subscriptions.list(eventType === undefined ? {} : { eventType });
    response.json({ subscriptions: found.map(redactSubscription) });
  });
  router.get(`${path}/:id`, async (request: Request<{ id: string }>, response: Response) => {
    response.json(redactSubscription(await subscriptions.get(request.params.id)));
  });
  router.patch(`${path}/:id`, async (request: Request<{ id: string }>, response: Response) => {
    response.json(redactSubscription(await subscriptions.update(request.params.id, request.body as SubscriptionPatch)));
  });
  router.delete(`${path}/:id`, async (request: Request<{ id: string }>, response: Response) => {
    await subscriptions.delete(request.params.id);
    response.status(204).end();
  });
  addEndpointRoutes(router, path, subscriptions, deliveries);
  if (deliveries !== undefined) addDeliveryRoutes(router, path, subscriptions, deliveries);

  router.use(path, (error: unknown, _request: Request, response: Response, next: NextFunction) => {
    if (response.headersSent) {
      next(error);
      return;
    }
    if (isWebhookError(error)) {
      fail(response, statusOf(error.code), {
        code: error.code,
        message: error.message,
        ...(error.issues.length > 0 ? { issues: error.issues } : {}),
        ...(error.existingId === undefined ? {} : { existingId: error.existingId }),
      });
      return;
    }
    const type = (error as { type?: unknown } | null)?.type;
    if (type === 'entity.parse.failed') {
      fail(response, 400, { code: 'INVALID_JSON', message: 'the body is not valid JSON' });
      return;
    }
    if (type === 'entity.too.large') {
      fail(response, 413, { code: 'BODY_TOO_LARGE', message: 'the body is larger than the limit' });
      return;
    }
    if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
      fail(response, 415, { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'the body must be UTF-8 JSON' });
      return;
    }
    next(error);
  });
  return router;
}
