/**
 * The operator console of the demo: a webhook subscriber that is down (it answers 503), a few
 * deliveries to it that exhausted their attempts, one to a healthy subscriber, and the console
 * over them at `/ops`, behind a token (a browser asks for it: any user name, the token as password).
 *
 *   node examples/dist/demo.js --console     # keeps the console open until Ctrl-C
 */
import { createOperatorConsole, type ConsoleAuthorize } from '@events-protocol/console';
import { createPublishedEvent } from '@events-protocol/publish';
import { WebhookDispatcher, WebhookSubscriptions } from '@events-protocol/webhooks';
import { SqliteWebhookStore } from '@events-protocol/webhooks/sqlite';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';

/** The running console of the demo. */
export interface ConsoleDemo {
  /** The console's page. */
  readonly url: string;
  /** The operator's token: the password a browser asks for, or `Authorization: Bearer <token>`. */
  readonly token: string;
  close(): Promise<void>;
}

function listening(server: Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );
}

function closing(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Accepts the token as a Bearer token, or as the password of Basic authentication (what a browser sends). */
function tokenAuthorize(token: string): ConsoleAuthorize {
  const expected = Buffer.from(token);
  const matches = (given: string): boolean =>
    given.length === token.length && timingSafeEqual(Buffer.from(given), expected);
  return (request) => {
    const header = request.headers.get('authorization') ?? '';
    if (header.startsWith('Bearer ') && matches(header.slice(7))) return { name: 'demo-operator' };
    if (header.startsWith('Basic ')) {
      const [user = '', ...password] = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':');
      if (matches(password.join(':'))) return { name: user === '' ? 'demo-operator' : user };
    }
    return { refuse: 401, challenge: 'Basic realm="operator console"' };
  };
}

/** Starts the receivers, makes a few failed deliveries, and serves the console over them. */
export async function startConsoleDemo(): Promise<ConsoleDemo> {
  const directory = await mkdtemp(join(tmpdir(), 'console-demo-'));
  const down = createServer((_request, response) => response.writeHead(503).end('billing is down for maintenance'));
  const healthy = createServer((_request, response) => response.writeHead(204).end());
  const [downUrl, healthyUrl] = await Promise.all([listening(down), listening(healthy)]);
  const store = new SqliteWebhookStore({ filename: join(directory, 'webhooks.db') });
  await store.setup();
  const targetPolicy = { allowPrivateNetworks: true };
  const subscriptions = new WebhookSubscriptions(store, { targetPolicy });
  const retry = { schedule: 'fixed', options: { delayMs: 100, maxAttempts: 3 } };
  await subscriptions.create({ eventType: 'order:placed', targetUrl: `${downUrl}/billing/hooks`, retry });
  await subscriptions.create({ eventType: 'order:placed', targetUrl: `${healthyUrl}/warehouse/hooks`, retry });
  const dispatcher = new WebhookDispatcher({ store, targetPolicy, timeouts: 2000, pollIntervalMs: 50 });
  for (const orderId of ['o-1001', 'o-1002', 'o-1003']) {
    await dispatcher.deliverEvent(createPublishedEvent({ name: 'order:placed', payload: { orderId, cents: 4200 } }));
  }
  const deadline = Date.now() + 15_000;
  while ((await dispatcher.outbox.stats()).undelivered < 3 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const token = randomBytes(12).toString('base64url');
  const operatorConsole = createOperatorConsole({
    basePath: '/ops',
    authorize: tokenAuthorize(token),
    outboxes: { webhooks: dispatcher.outbox },
    webhooks: { subscriptions, dispatcher },
  });
  const server = createServer((incoming, outgoing) => {
    const body = incoming.method === 'GET' || incoming.method === 'HEAD' ? null : Readable.toWeb(incoming);
    const headers = new Headers();
    for (const [name, value] of Object.entries(incoming.headers))
      if (typeof value === 'string') headers.set(name, value);
    const request = new Request(`http://${incoming.headers.host ?? '127.0.0.1'}${incoming.url ?? '/'}`, {
      method: incoming.method ?? 'GET',
      headers,
      body: body as ReadableStream<Uint8Array> | null,
      duplex: 'half',
    });
    void operatorConsole.fetch(request).then(async (answer) => {
      const bytes = Buffer.from(await answer.arrayBuffer());
      outgoing.writeHead(answer.status, { ...Object.fromEntries(answer.headers), 'content-length': bytes.byteLength });
      outgoing.end(bytes);
    });
  });
  const origin = await listening(server);
  return {
    url: `${origin}/ops/`,
    token,
    close: async () => {
      await closing(server);
      await dispatcher.close();
      await store.close();
      await Promise.all([closing(down), closing(healthy)]);
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/** The demo's last part: the console with a few failed deliveries; open until Ctrl-C when `keepOpen`. */
export async function runConsoleDemo(options: { keepOpen: boolean }): Promise<void> {
  const demo = await startConsoleDemo();
  process.stdout.write(
    `\n▶ the operator console, with failed deliveries to look at\n  ${demo.url}\n  token: ${demo.token} (a browser asks for it: any user name, the token as password)\n`,
  );
  if (options.keepOpen) {
    process.stdout.write('  open until Ctrl-C\n');
    await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
  } else {
    const answer = await fetch(`${demo.url}api/overview`, { headers: { authorization: `Bearer ${demo.token}` } });
    process.stdout.write(`  ${JSON.stringify(await answer.json())}\n  (run with --console to keep it open)\n`);
  }
  await demo.close();
}
