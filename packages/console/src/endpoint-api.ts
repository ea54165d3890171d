import {
  generateWebhookSecret,
  isWebhookError,
  redactSubscription,
  WebhookErrorCode,
  type Subscription,
} from '@events-protocol/webhooks';
import { ApiRefusal, badRequest, jsonAnswer, notFound } from './console-answer.js';
import { logAction, type ConsoleContext } from './console-context.js';
import type { ConsoleWebhooks } from './console-options.js';
import { readActionBody, readPage } from './read-input.js';

/** An endpoint's health as the console shows it: counts since it was created or re-enabled. */
interface HealthFigures {
  consecutiveFailures: number;
  delivered: number;
  failed: number;
  successRate: number | null;
  failingSince: string | null;
  lastDeliveredAt: string | null;
  lastFailedAt: string | null;
}

/**
 * The endpoint operations of `WebhookSubscriptions` the console uses where they exist (`health`,
 * `disable`, `enable`, `rotateSecret`), with `update` as the fallback for the state changes.
 */
interface EndpointOperations {
  health?: (id: string) => Promise<unknown>;
  disable?: (id: string, options: { reason: string }) => Promise<unknown>;
  enable?: (id: string) => Promise<unknown>;
  rotateSecret?: (id: string, options: { overlapMs: number }) => Promise<unknown>;
}

function operationsOf(webhooks: ConsoleWebhooks): EndpointOperations {
  // Read as optional: a `WebhookSubscriptions` from before these operations has only `update`.
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- optional on older versions
  return webhooks.subscriptions as unknown as EndpointOperations;
}

function numberOf(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function textOf(value: unknown): string | null {
  if (value instanceof Date) return value.toISOString();
  return typeof value === 'string' ? value : null;
}

async function healthOf(webhooks: ConsoleWebhooks, id: string): Promise<HealthFigures | null> {
  const read = operationsOf(webhooks).health;
  if (read === undefined) return null;
  const raw = (await read.call(webhooks.subscriptions, id)) as Record<string, unknown> | null | undefined;
  if (raw === null) return null;
  if (typeof raw !== 'object') return null;
  const delivered = numberOf(raw['delivered']);
  const failed = numberOf(raw['failed']);
  return {
    consecutiveFailures: numberOf(raw['consecutiveFailures']),
    delivered,
    failed,
    successRate: delivered + failed === 0 ? null : delivered / (delivered + failed),
    failingSince: textOf(raw['failingSince']),
    lastDeliveredAt: textOf(raw['lastDeliveredAt']),
    lastFailedAt: textOf(raw['lastFailedAt']),
  };
}

/**
 * A subscription as shown: through `redactSubscription` (the secret, the previous secrets and
 * the credentials masked), and its custom headers' values masked too, since they may carry keys.
 */
function endpointView(subscription: Subscription): Record<string, unknown> {
  const { headers, secret: _secret, ...rest } = redactSubscription(subscription);
  return {
    ...rest,
    ...(headers === undefined ? {} : { headers: Object.keys(headers) }),
    state: subscription.active ? 'enabled' : 'disabled',
  };
}

/** `GET …/api/endpoints?limit=&cursor=`: a page of webhook endpoints with their health, oldest first. */
export async function listEndpoints(context: ConsoleContext, webhooks: ConsoleWebhooks): Promise<Response> {
  const { limit, cursor } = readPage(context.query, context.pageSize);
  const start = cursor === undefined ? 0 : Number(cursor);
  if (!Number.isInteger(start) || start < 0) throw badRequest('cursor must be the nextCursor of a page');
  const all = await webhooks.subscriptions.list();
  const page = all.slice(start, start + limit);
  const endpoints = await Promise.all(
    page.map(async (subscription) => ({
      ...endpointView(subscription),
      health: await healthOf(webhooks, subscription.id),
    })),
  );
  return jsonAnswer(200, {
    endpoints,
    nextCursor: start + limit < all.length ? String(start + limit) : null,
    operations: { health: operationsOf(webhooks).health !== undefined },
  });
}

async function subscriptionOf(webhooks: ConsoleWebhooks, id: string): Promise<Subscription> {
  try {
    return await webhooks.subscriptions.get(id);
  } catch (error) {
    if (isWebhookError(error) && error.code === WebhookErrorCode.SubscriptionNotFound) {
      throw notFound(`no endpoint '${id}'`);
    }
    throw error;
  }
}

/** `GET …/api/endpoints/:id`: one endpoint with its health. */
export async function showEndpoint(webhooks: ConsoleWebhooks, id: string): Promise<Response> {
  const subscription = await subscriptionOf(webhooks, id);
  return jsonAnswer(200, { ...endpointView(subscription), health: await healthOf(webhooks, id) });
}

/** The longest a rotated-out secret may keep signing: a week. */
const maxOverlapMs = 7 * 24 * 3_600_000;

/**
 * `POST …/api/endpoints/:id/disable|enable|rotate` with `{ confirm: <the endpoint id> }` (and
 * `reason` to disable, `overlapMs` to rotate): answers `{ action, endpoint }` and never the new secret.
 */
export async function actOnEndpoint(
  context: ConsoleContext,
  webhooks: ConsoleWebhooks,
  id: string,
  action: 'disable' | 'enable' | 'rotate',
): Promise<Response> {
  const body = await readActionBody(context.request);
  if (body['confirm'] !== id) {
    throw new ApiRefusal(400, 'CONFIRMATION_REQUIRED', `confirm with the endpoint's id ('${id}')`);
  }
  await subscriptionOf(webhooks, id);
  const operations = operationsOf(webhooks);
  const subscriptions = webhooks.subscriptions;
  let detail: Record<string, unknown> = {};
  if (action === 'disable') {
    const reason = body['reason'] ?? 'disabled by an operator';
    if (typeof reason !== 'string' || reason.length > 500)
      throw badRequest('reason must be a string of at most 500 characters');
    if (operations.disable === undefined) await subscriptions.update(id, { active: false });
    else await operations.disable.call(subscriptions, id, { reason });
    detail = { reason };
  } else if (action === 'enable') {
    if (operations.enable === undefined) await subscriptions.update(id, { active: true });
    else await operations.enable.call(subscriptions, id);
  } else {
    const overlapMs = body['overlapMs'] ?? 24 * 3_600_000;
    if (typeof overlapMs !== 'number' || !Number.isInteger(overlapMs) || overlapMs < 0 || overlapMs > maxOverlapMs) {
      throw badRequest(`overlapMs must be an integer from 0 to ${maxOverlapMs}`);
    }
    if (operations.rotateSecret === undefined) await subscriptions.update(id, { secret: generateWebhookSecret() });
    else await operations.rotateSecret.call(subscriptions, id, { overlapMs });
    detail = { overlapMs: operations.rotateSecret === undefined ? 0 : overlapMs };
  }
  logAction(context, { action, endpoint: id, selection: detail, count: 1 });
  const shown = endpointView(await subscriptionOf(webhooks, id));
  return jsonAnswer(200, { action, result: action === 'rotate' ? 'rotated' : shown['state'], endpoint: shown });
}
