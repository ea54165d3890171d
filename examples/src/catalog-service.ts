/**
 * A small catalog service: two contracts, a typed error, and a middleware that guards writes.
 * The demo starts it on a free port; the README's quick start is a shorter version of it.
 */
import { defineEvent, EventError, EventErrorType } from '@events-protocol/core';
import { EventProcessor, EventRegistry, type EventMiddleware } from '@events-protocol/server';
import { z } from 'zod';

export const getProduct = defineEvent({
  name: 'product:get',
  version: 1,
  description: 'Reads one product by its SKU.',
  payload: z.object({ sku: z.string().min(1) }),
  response: z.object({ sku: z.string(), title: z.string(), priceCents: z.number().int() }),
});

export const reserveStock = defineEvent({
  name: 'stock:reserve',
  version: 1,
  description: 'Reserves units of a product for an order.',
  payload: z.object({ sku: z.string(), quantity: z.number().int().positive() }),
  response: z.object({ reservationId: z.string(), remaining: z.number().int() }),
});

/** Writes need a token: short-circuits with `<name>:unauthorized` without running the handler. */
const requireTokenForWrites: EventMiddleware = (event, context, next) => {
  if (context.registration.name === reserveStock.name && event.auth['token'] !== 'demo-token') {
    throw new EventError(EventErrorType.Unauthorized, { code: 'TOKEN_REQUIRED' });
  }
  return next();
};

/** The catalog's processor, ready to mount on node:http or Express. */
export function catalogProcessor(): EventProcessor {
  const products = new Map([
    ['BOOK-1', { sku: 'BOOK-1', title: 'Notes on the Analytical Engine', priceCents: 1999, stock: 3 }],
    ['PEN-7', { sku: 'PEN-7', title: 'Fountain pen', priceCents: 4500, stock: 0 }],
  ]);
  const registry = new EventRegistry()
    .on(getProduct, (event) => {
      const product = products.get(event.payload.sku);
      if (product === undefined) {
        throw new EventError(EventErrorType.NotFound, {
          code: 'PRODUCT_NOT_FOUND',
          parameters: { sku: event.payload.sku },
        });
      }
      return { sku: product.sku, title: product.title, priceCents: product.priceCents };
    })
    .on(reserveStock, (event) => {
      const product = products.get(event.payload.sku);
      if (product === undefined)
        throw new EventError(EventErrorType.NotFound, {
          code: 'PRODUCT_NOT_FOUND',
          parameters: { sku: event.payload.sku },
        });
      if (product.stock < event.payload.quantity) {
        throw new EventError(EventErrorType.Unprocessable, {
          code: 'OUT_OF_STOCK',
          parameters: { sku: product.sku, available: product.stock },
        });
      }
      product.stock -= event.payload.quantity;
      return { reservationId: `r-${event.id.slice(0, 8)}`, remaining: product.stock };
    });
  return new EventProcessor(registry, { middleware: [requireTokenForWrites] });
}
