import {
  createOperatorConsole,
  type ConsoleLogger,
  type OperatorConsole,
  type OperatorConsoleOptions,
} from '@events-protocol/console';
import type { Subscription, WebhookStore } from '@events-protocol/webhooks';
import { fetchBridge } from '../support/fetch-bridge.js';
import { listen, type RunningServer } from '../support/http-server.js';
import { eventually, orderPlaced, receiver, secret, subscriptionTo, webhooks } from '../webhooks/harness.js';

/** The operator's token; a viewer's token is authenticated but refused (403). */
export const operatorToken = 'op-token-7f3a9c1e';
export const viewerToken = 'viewer-token-2b8d';
/** Credentials and a header value of the subscription: none may ever appear in the console. */
export const basicPassword = 'basic-password-91c4e2';
export const headerKey = 'header-api-key-55e1b0';

/** A logger that keeps every line, by level. */
export function recordingConsoleLogger(): ConsoleLogger & {
  lines: { level: string; object: Record<string, unknown> }[];
} {
  const lines: { level: string; object: Record<string, unknown> }[] = [];
  const at = (level: string) => (object: object) => {
    lines.push({ level, object: object as Record<string, unknown> });
  };
  return { lines, info: at('info'), warn: at('warn'), error: at('error') };
}

/** Authorizes `Bearer <operatorToken>` as alice, refuses the viewer (403) and everyone else (401, a Bearer challenge). */
export const bearerAuthorize: OperatorConsoleOptions['authorize'] = (request) => {
  const header = request.headers.get('authorization');
  if (header === `Bearer ${operatorToken}`) return { name: 'alice', role: 'operator' };
  if (header === `Bearer ${viewerToken}`) return { refuse: 403 };
  return { refuse: 401, challenge: 'Bearer realm="operators"' };
};

/**
 * A webhook dispatcher on a real store delivering to a real receiver that fails (500) until
 * `target.fixed = true`, `events` deliveries made undelivered (two attempts each), and the console
 * over them served on node:http at `/ops`.
 */
export async function consoleFixture(options: { events?: number; open?: () => Promise<WebhookStore> } = {}) {
  const state = { fixed: false };
  const target = await receiver(() => (state.fixed ? 200 : { status: 500, body: 'receiver down for maintenance' }));
  const hooks = await webhooks(options.open === undefined ? {} : { open: options.open });
  const subscription: Subscription = await hooks.subscriptions.create(
    subscriptionTo(target.url, {
      retry: { schedule: 'fixed', options: { delayMs: 20, maxAttempts: 2 } },
      auth: { type: 'basic', username: 'hooks', password: basicPassword },
      headers: { 'x-api-key': headerKey },
    }),
  );
  const deliveryIds: string[] = [];
  for (let index = 0; index < (options.events ?? 3); index += 1) {
    const [status] = await hooks.dispatcher.deliverEvent(orderPlaced(`o-${index}`));
    if (status?.deliveryId !== undefined) deliveryIds.push(status.deliveryId);
  }
  await eventually(async () => {
    const page = await hooks.dispatcher.outbox.listUndelivered({ limit: 100 });
    return page.events.length === deliveryIds.length;
  }, 20_000);
  const logger = recordingConsoleLogger();
  const operatorConsole: OperatorConsole = createOperatorConsole({
    basePath: '/ops',
    authorize: bearerAuthorize,
    outboxes: { webhooks: hooks.dispatcher.outbox },
    webhooks: { subscriptions: hooks.subscriptions, dispatcher: hooks.dispatcher },
    logger,
  });
  const server: RunningServer = await listen(fetchBridge((request) => operatorConsole.fetch(request)));
  const close = async (): Promise<void> => {
    await server.close();
    await hooks.close();
    await target.running.close();
  };
  return {
    state,
    target,
    hooks,
    subscription,
    deliveryIds,
    logger,
    server,
    url: `${server.origin}/ops`,
    /** Every secret the setup knows: the console must show none of them. */
    secrets: [secret, basicPassword, headerKey],
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** Calls the console's API as the operator (or with `token`); an object `body` is posted as an action. */
export async function callApi(
  url: string,
  path: string,
  options: { body?: unknown; token?: string | null; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Headers; text: string; json: Record<string, unknown> }> {
  const token = options.token === undefined ? operatorToken : options.token;
  const headers: Record<string, string> = { ...(token === null ? {} : { authorization: `Bearer ${token}` }) };
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    headers['x-events-console'] = '1';
  }
  const response = await fetch(`${url}/api/${path}`, {
    method: options.body === undefined ? 'GET' : 'POST',
    headers: { ...headers, ...options.headers },
    ...(options.body === undefined
      ? {}
      : { body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) }),
  });
  const text = await response.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // Not JSON: the caller looks at the text.
  }
  return { status: response.status, headers: response.headers, text, json };
}
