import {
  defaultRotationOverlapMs,
  isWebhookError,
  WebhookErrorCode,
  type EndpointView,
} from '@events-protocol/webhooks';
import { ApiRefusal, badRequest, jsonAnswer, notFound } from './console-answer.js';
import { logAction, type ConsoleContext } from './console-context.js';
import type { ConsoleWebhooks } from './console-options.js';
import { readActionBody, readPage } from './read-input.js';

/**
 * An endpoint as shown: its subscription through `redactSubscription` (the secret, previous
 * secrets and credentials masked), its custom headers by name only (their values may be keys),
 * its state, health and success rate.
 */
function shown(view: EndpointView): Record<string, unknown> {
  const { headers, secret: _secret, ...subscription } = view.subscription;
  return {
    ...subscription,
    ...(headers === undefined ? {} : { headers: Object.keys(headers) }),
    state: view.state,
    health: view.health,
    successRate: view.successRate ?? null,
  };
}

/** Turns the webhooks package's refusals into answers: an unknown endpoint is a 404, a bad field a 400. */
async function refusing<T>(id: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isWebhookError(error) && error.code === WebhookErrorCode.SubscriptionNotFound) {
      throw notFound(`no endpoint '${id}'`);
    }
    if (isWebhookError(error) && error.code === WebhookErrorCode.InvalidSubscription) throw badRequest(error.message);
    throw error;
  }
}

async function endpointOf(webhooks: ConsoleWebhooks, id: string): Promise<Record<string, unknown>> {
  const view = (await webhooks.subscriptions.listEndpoints()).find((each) => each.subscription.id === id);
  if (view === undefined) throw notFound(`no endpoint '${id}'`);
  return shown(view);
}

/**
 * `GET …/api/endpoints?limit=&cursor=`: a page of webhook endpoints with their state and health,
 * oldest first. Subscriptions are few (one per receiver and event type): they are read whole and
 * paged here.
 */
export async function listEndpoints(context: ConsoleContext, webhooks: ConsoleWebhooks): Promise<Response> {
  const { limit, cursor } = readPage(context.query, context.pageSize);
  const start = cursor === undefined ? 0 : Number(cursor);
  if (!Number.isInteger(start) || start < 0) throw badRequest('cursor must be the nextCursor of a page');
  const all = await webhooks.subscriptions.listEndpoints();
  return jsonAnswer(200, {
    endpoints: all.slice(start, start + limit).map(shown),
    nextCursor: start + limit < all.length ? String(start + limit) : null,
  });
}

/** `GET …/api/endpoints/:id`: one endpoint with its state and health. */
export async function showEndpoint(webhooks: ConsoleWebhooks, id: string): Promise<Response> {
  return jsonAnswer(200, await endpointOf(webhooks, id));
}

/**
 * `POST …/api/endpoints/:id/disable|enable|rotate` with `{ confirm: <the endpoint id> }` (and
 * `reason` to disable, `overlapMs` to rotate, a day by default): answers `{ action, result,
 * endpoint }`. A rotation never answers the new secret: the application gives it to the
 * receiver's owner by its own means.
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
  const { subscriptions } = webhooks;
  let detail: Record<string, unknown> = {};
  if (action === 'disable') {
    const reason = body['reason'] ?? 'disabled by an operator';
    if (typeof reason !== 'string') throw badRequest('reason must be a string');
    await refusing(id, () => subscriptions.disable(id, { reason }));
    detail = { reason };
  } else if (action === 'enable') {
    await refusing(id, () => subscriptions.enable(id));
  } else {
    const overlapMs = body['overlapMs'] ?? defaultRotationOverlapMs;
    if (typeof overlapMs !== 'number') throw badRequest('overlapMs must be a number of milliseconds');
    // The new secret is dropped here: the console never shows it.
    await refusing(id, async () => (await subscriptions.rotateSecret(id, { overlapMs })).subscription.id);
    detail = { overlapMs };
  }
  logAction(context, { action, endpoint: id, selection: detail, count: 1 });
  const endpoint = await endpointOf(webhooks, id);
  return jsonAnswer(200, { action, result: action === 'rotate' ? 'rotated' : endpoint['state'], endpoint });
}
