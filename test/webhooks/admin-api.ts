import { WebhookDispatcher, WebhookSubscriptions } from '@events-protocol/webhooks';
import { webhooksRouter } from '@events-protocol/webhooks/express';
import express from 'express';
import { listen } from '../support/http-server.js';
import { memoryStore } from './harness.js';

/** The bearer token the admin API of {@link adminApi} accepts. */
export const adminToken = 'admin-token-for-tests';

/** One answer of the admin API: its status, headers and JSON body (`undefined` when empty). */
export interface AdminAnswer {
  status: number;
  headers: Headers;
  body: Record<string, unknown> | undefined;
}

/**
 * `webhooksRouter` mounted in a real Express app on a free port, over an in-memory store, with a
 * dispatcher and the subscriptions it manages. `call` sends the admin token (headers given
 * replace it) and a JSON body (a string body is sent as it is) to `basePath` + `path`. Disposing
 * closes the server, the dispatcher and the store.
 */
export async function adminApi(options: { basePath?: string } = {}) {
  const store = await memoryStore();
  const targetPolicy = { allowPrivateNetworks: true };
  const subscriptions = new WebhookSubscriptions(store, { targetPolicy });
  const dispatcher = new WebhookDispatcher({ store, targetPolicy, pollIntervalMs: 50, timeouts: 2000 });
  const app = express();
  app.use(
    webhooksRouter({
      subscriptions,
      deliveries: dispatcher,
      authorize: (request) => request.get('authorization') === `Bearer ${adminToken}`,
    }),
  );
  const running = await listen(app.listen(0, '127.0.0.1'));
  const base = `${running.origin}${options.basePath ?? ''}`;
  const call = async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<AdminAnswer> => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>),
    };
  };
  const close = async () => {
    await running.close();
    await dispatcher.close();
    await store.close();
  };
  return { store, subscriptions, dispatcher, call, [Symbol.asyncDispose]: close };
}
