/**
 * The README's demo, in three parts.
 *
 * 1. The catalog service on a free port; a client sends it events (a success, typed errors, an
 *    unknown event, bad input) and prints each response event.
 * 2. A small shop: the orders service (Express) calls the catalog service, records `order:placed`
 *    in a durable outbox, and the outbox relay delivers it as a signed webhook to a subscriber that
 *    verifies it.
 * 3. The operator console over a few webhook deliveries that failed (see console-demo.ts).
 *
 *   npx --yes pnpm@10 install && npx --yes pnpm@10 demo
 */
import { EventClient, type SendResult } from '@events-protocol/client';
import { createEventServer } from '@events-protocol/server';
import type { AddressInfo } from 'node:net';
import { catalogProcessor, getProduct } from './catalog-service.js';
import { runConsoleDemo } from './console-demo.js';
import { runShop } from './shop.js';

const server = createEventServer(catalogProcessor(), { discovery: true });
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`;
const client = new EventClient({ url, origin: 'demo', timeout: 5000 });

function show(title: string, result: SendResult): void {
  const summary = result.kind === 'error' ? `error (${result.errorType})` : result.kind;
  process.stdout.write(`\n▶ ${title}\n  outcome: ${summary}\n`);
  if (result.kind === 'success' || result.kind === 'error') {
    process.stdout.write(`  ${JSON.stringify(result.event)}\n`);
  }
}

process.stdout.write(`catalog service listening on ${url}\n`);

const typed = await client.send(getProduct, { sku: 'BOOK-1' });
show('product:get BOOK-1 (typed call: the payload is checked and the answer parsed by the contract)', typed);
if (typed.kind === 'success')
  process.stdout.write(`  typed payload: ${typed.payload.title}, ${typed.payload.priceCents} cents\n`);

show(
  'stock:reserve with a token',
  await client.sendEvent({
    name: 'stock:reserve',
    payload: { sku: 'BOOK-1', quantity: 2 },
    auth: { token: 'demo-token' },
  }),
);
show(
  'product:get of an unknown SKU: a typed error',
  await client.sendEvent({ name: 'product:get', payload: { sku: 'NOPE' } }),
);
show(
  'stock:reserve without a token: the middleware refuses',
  await client.sendEvent({ name: 'stock:reserve', payload: { sku: 'BOOK-1', quantity: 1 } }),
);
show(
  'stock:reserve of more than is in stock',
  await client.sendEvent({
    name: 'stock:reserve',
    payload: { sku: 'PEN-7', quantity: 1 },
    auth: { token: 'demo-token' },
  }),
);
show('an event nobody handles', await client.sendEvent({ name: 'order:cancel', payload: { orderId: 'o-1' } }));
show(
  'bad input: a payload the contract rejects',
  await client.sendEvent({ name: 'product:get', payload: { sku: 42 } }),
);

// Bad input no client would send: a body that is not JSON at all.
const raw = await fetch(url, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: '{"name": "product:get", ',
});
process.stdout.write(`\n▶ bad input: a truncated JSON body, sent raw\n  HTTP ${raw.status}\n  ${await raw.text()}\n`);

await client.close();
await runShop(url);
server.close();
// The operator console over a few failed deliveries; `--console` (or DEMO_CONSOLE=1) keeps it open.
await runConsoleDemo({ keepOpen: process.argv.includes('--console') || process.env['DEMO_CONSOLE'] === '1' });
