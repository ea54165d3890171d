import { createPublishedEvent, type PublishedEvent } from '@events-protocol/publish';
import {
  isWebhookError,
  WebhookDispatcher,
  WebhookSubscriptions,
  type WebhookError,
  type SubscriptionInput,
  type WebhookDelivery,
  type WebhookDispatcherOptions,
  type WebhookLogger,
  type WebhookStore,
} from '@events-protocol/webhooks';
import { SqliteWebhookStore } from '@events-protocol/webhooks/sqlite';
import { mkdtemp, rm } from 'node:fs/promises';
import type { IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listen, readBody, type RunningServer } from '../support/http-server.js';
import { eventually } from '../support/eventually.js';

/** The WebhookError `promise` rejects with; throws when it resolves or rejects with anything else. */
export async function rejection(promise: Promise<unknown>): Promise<WebhookError> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!isWebhookError(error)) throw new Error(`expected a WebhookError, got ${String(error)}`);
  return error;
}

export const secret = `whsec_${Buffer.alloc(32, 42).toString('base64')}`;

/** One request a receiver got, with the time it arrived. */
export interface ReceivedRequest {
  readonly at: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** How a receiver answers one request. */
export type ReceiverAnswer =
  | number
  /** Never answers. */
  | 'hang'
  /** Destroys the connection without a response. */
  | 'reset'
  /** Writes bytes that are not HTTP and closes. */
  | 'garbage'
  /** Answers `status` with `body` and `headers` after `delayMs`. */
  | { status: number; body?: string; delayMs?: number; headers?: Record<string, string> };

/**
 * A real HTTP receiver on port 0 whose answer to the n-th request (1-based) is `answer(n, request)`.
 */
export async function receiver(
  answer: (n: number, request: ReceivedRequest) => ReceiverAnswer = () => 200,
): Promise<{ running: RunningServer; received: ReceivedRequest[]; url: string }> {
  const received: ReceivedRequest[] = [];
  const running = await listen((request, response) => {
    void readBody(request).then((body) => {
      const entry = { at: Date.now(), headers: request.headers, body };
      received.push(entry);
      const reply = answer(received.length, entry);
      if (reply === 'hang') return;
      if (reply === 'reset') {
        request.socket.destroy();
        return;
      }
      if (reply === 'garbage') {
        request.socket.end('\u0000\u0001 this is not HTTP \r\n\r\n');
        return;
      }
      const {
        status,
        body: text,
        delayMs,
        headers,
      } = typeof reply === 'number' ? { status: reply, body: undefined, delayMs: undefined, headers: {} } : reply;
      const send = (): void => {
        if (response.destroyed) return;
        response
          .writeHead(status, { 'content-type': 'text/plain', ...headers })
          .end(text ?? (status >= 300 ? `refused #${received.length}` : 'ok'));
      };
      if (delayMs === undefined) send();
      else setTimeout(send, delayMs);
    });
  });
  return { running, received, url: `${running.origin}/hooks` };
}

/** A logger that keeps what it is given. */
export function recordingLogger(): WebhookLogger & { entries: { level: string; object: object; message?: string }[] } {
  const entries: { level: string; object: object; message?: string }[] = [];
  const at =
    (level: string) =>
    (object: object, message?: string): void => {
      entries.push({ level, object, ...(message === undefined ? {} : { message }) });
    };
  return { entries, debug: at('debug'), warn: at('warn'), error: at('error') };
}

/** A SQLite file in a fresh directory, removed by `cleanup`. */
export async function storeFile(): Promise<{ filename: string; cleanup: () => Promise<void> }> {
  const directory = await mkdtemp(join(tmpdir(), 'webhooks-'));
  return { filename: join(directory, 'webhooks.db'), cleanup: () => rm(directory, { recursive: true, force: true }) };
}

/** An empty in-memory SQLite store, set up. */
export async function memoryStore(): Promise<SqliteWebhookStore> {
  const store = new SqliteWebhookStore({ filename: ':memory:' });
  await store.setup();
  return store;
}

/** Dispatcher options for tests: any store (SQLite on a fresh file by default), and the harness's own. */
export type HarnessOptions = Partial<WebhookDispatcherOptions> & {
  /** A SQLite file to use (shared by several harnesses, e.g. across a restart). */
  filename?: string;
  /** Another store (PostgreSQL, Redis); the harness sets it up, and closes it only when it opened it. */
  open?: () => Promise<WebhookStore>;
};

/** A store, subscriptions and dispatcher allowed to reach 127.0.0.1, polling often; `close` ends all. */
export async function webhooks(options: HarnessOptions = {}) {
  const { filename, open, ...dispatcherOptions } = options;
  const file = filename === undefined && open === undefined ? await storeFile() : undefined;
  const store: WebhookStore =
    open === undefined ? new SqliteWebhookStore({ filename: filename ?? file?.filename ?? ':memory:' }) : await open();
  await store.setup();
  const targetPolicy = options.targetPolicy ?? { allowPrivateNetworks: true };
  const subscriptions = new WebhookSubscriptions(store, { targetPolicy });
  const dispatcher = new WebhookDispatcher({
    pollIntervalMs: 50,
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- a test may give the old name instead
    ...(options.timeout === undefined ? { timeouts: 2000 } : {}),
    ...dispatcherOptions,
    store,
    targetPolicy,
  });
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await dispatcher.close();
    await store.close();
    await file?.cleanup();
  };
  return { store, subscriptions, dispatcher, close, [Symbol.asyncDispose]: close };
}

/** The one delivery `deliverEvent` reported, as it stands now. */
export async function deliveryOf(
  dispatcher: Pick<WebhookDispatcher, 'getDelivery'>,
  deliveryId: string | undefined,
): Promise<WebhookDelivery> {
  if (deliveryId === undefined) throw new Error('no delivery id');
  const delivery = await dispatcher.getDelivery(deliveryId);
  if (delivery === undefined) throw new Error(`no delivery '${deliveryId}'`);
  return delivery;
}

/** Waits until the delivery is in `state` (or has `attempts` recorded attempts; or, by default, is no longer pending), and returns it. */
export async function settled(
  dispatcher: Pick<WebhookDispatcher, 'getDelivery'>,
  deliveryId: string | undefined,
  until: { state?: WebhookDelivery['state']; attempts?: number } = {},
  timeoutMs = 10_000,
): Promise<WebhookDelivery> {
  let last: WebhookDelivery | undefined;
  await eventually(async () => {
    last = await dispatcher.getDelivery(deliveryId ?? '');
    if (last === undefined) return false;
    // `attempts` counts an attempt from its claim; its record comes when it is settled.
    if (until.attempts !== undefined) return last.history.length >= until.attempts;
    return until.state === undefined ? last.state !== 'pending' : last.state === until.state;
  }, timeoutMs);
  if (last === undefined) throw new Error('unreachable');
  return last;
}

export function subscriptionTo(url: string, overrides: Partial<SubscriptionInput> = {}): SubscriptionInput {
  return {
    eventType: 'order:placed',
    targetUrl: url,
    secret,
    retry: { schedule: 'fixed', options: { delayMs: 50, maxAttempts: 3 } },
    ...overrides,
  };
}

export { eventually };

export function orderPlaced(orderId = 'o-1'): PublishedEvent {
  return createPublishedEvent({ name: 'order:placed', payload: { orderId, cents: 1250 } });
}
