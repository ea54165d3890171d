import { createPublishedEvent, type PublishedEvent } from '@events-protocol/publish';
import {
  SqliteWebhookStore,
  WebhookDispatcher,
  WebhookSubscriptions,
  type SubscriptionInput,
  type WebhookDispatcherOptions,
  type WebhookLogger,
} from '@events-protocol/webhooks';
import { mkdtemp, rm } from 'node:fs/promises';
import type { IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listen, readBody, type RunningServer } from '../support/http-server.js';

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
  /** Answers `status` with `body` after `delayMs`. */
  | { status: number; body?: string; delayMs?: number };

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
      } = typeof reply === 'number' ? { status: reply, body: undefined, delayMs: undefined } : reply;
      const send = (): void => {
        if (response.destroyed) return;
        response
          .writeHead(status, { 'content-type': 'text/plain' })
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

/** A store, subscriptions and dispatcher allowed to reach 127.0.0.1, polling often; `close` ends all. */
export async function webhooks(options: Partial<WebhookDispatcherOptions> & { filename?: string } = {}) {
  const file = options.filename === undefined ? await storeFile() : undefined;
  const store = new SqliteWebhookStore({ filename: options.filename ?? file?.filename ?? ':memory:' });
  const targetPolicy = options.targetPolicy ?? { allowPrivateNetworks: true };
  const subscriptions = new WebhookSubscriptions(store, { targetPolicy });
  const dispatcher = new WebhookDispatcher({ pollIntervalMs: 50, timeout: 2000, ...options, store, targetPolicy });
  const close = async (): Promise<void> => {
    await dispatcher.close();
    await store.close();
    await file?.cleanup();
  };
  return { store, subscriptions, dispatcher, close, [Symbol.asyncDispose]: close };
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

export function orderPlaced(orderId = 'o-1'): PublishedEvent {
  return createPublishedEvent({ name: 'order:placed', payload: { orderId, cents: 1250 } });
}

/** Polls `condition` every 20 ms until it holds, or fails after `timeoutMs`. */
export async function eventually(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`the condition did not hold within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
