/**
 * An orders service that calls the catalog service: `order:place` reads the product and reserves
 * stock over the events protocol, then records `order:placed` in a durable outbox, whose relay
 * hands it to the webhooks of whoever subscribed. Mounted on Express.
 */
import { type EventClient, type SendResult } from '@events-protocol/client';
import { defineEvent, EventError, EventErrorType } from '@events-protocol/core';
import { eventsRouter } from '@events-protocol/express-adapter';
import type { Outbox } from '@events-protocol/outbox';
import { createPublishedEvent } from '@events-protocol/publish';
import { EventProcessor, EventRegistry } from '@events-protocol/server';
import express, { type Express } from 'express';
import { z } from 'zod';
import { getProduct, reserveStock } from './catalog-service.js';

export const placeOrder = defineEvent({
  name: 'order:place',
  version: 1,
  description: 'Places an order for one product: checks the catalog, reserves stock, announces the order.',
  payload: z.object({ sku: z.string().min(1), quantity: z.number().int().positive().max(100) }),
  response: z.object({ orderId: z.string(), reservationId: z.string(), totalCents: z.number().int() }),
});

/** What every `order:placed` webhook carries. */
export interface OrderPlaced {
  orderId: string;
  sku: string;
  quantity: number;
  totalCents: number;
}

/** A failed call to the catalog becomes this service's answer: the catalog's error, or `error` when it did not answer. */
function failure(result: Exclude<SendResult, { kind: 'success' }>): EventError {
  if (result.kind === 'error') {
    const message = result.event.payload as { code?: unknown; parameters?: Record<string, unknown> };
    return new EventError(result.errorType, {
      code: typeof message.code === 'string' ? message.code : 'CATALOG_ERROR',
      parameters: message.parameters ?? {},
    });
  }
  return new EventError(EventErrorType.Error, { code: 'CATALOG_UNAVAILABLE', parameters: { reason: result.kind } });
}

/** The orders service as an Express app: `POST /events` handles `order:place`. */
export function ordersApp(options: { catalog: EventClient; outbox: Outbox }): Express {
  const { catalog, outbox } = options;
  let sequence = 0;
  const registry = new EventRegistry().on(placeOrder, async (event) => {
    // Calls made inside a handler carry its flowId and remaining deadline to the catalog.
    const product = await catalog.send(getProduct, { sku: event.payload.sku });
    if (product.kind !== 'success') throw failure(product);
    const reservation = await catalog.send(
      reserveStock,
      { sku: event.payload.sku, quantity: event.payload.quantity },
      { auth: { token: 'demo-token' } },
    );
    if (reservation.kind !== 'success') throw failure(reservation);
    const placed: OrderPlaced = {
      orderId: `order-${++sequence}`,
      sku: event.payload.sku,
      quantity: event.payload.quantity,
      totalCents: product.payload.priceCents * event.payload.quantity,
    };
    // Stored durably before we answer; the relay delivers it even if a subscriber is down now.
    await outbox.enqueue(createPublishedEvent({ name: 'order:placed', payload: placed }), { topic: 'orders' });
    return { orderId: placed.orderId, reservationId: reservation.payload.reservationId, totalCents: placed.totalCents };
  });
  const app = express();
  app.use(eventsRouter(new EventProcessor(registry), { discovery: true }));
  return app;
}
