/**
 * The one workload every scenario serves: a realistic ~430-byte request event and a small handler
 * that validates its payload and prices an order line.
 */
import { defineEvent } from '@events-protocol/core';
import { z } from 'zod';

export const priceOrderPayload = z.object({
  sku: z.string().min(1),
  quantity: z.number().int().positive(),
  customerId: z.string(),
  currency: z.enum(['EUR', 'USD', 'GBP']),
  coupon: z.string().optional(),
  shipping: z.object({ country: z.string().length(2), postcode: z.string(), express: z.boolean() }),
});

export const priceOrderResponse = z.object({ sku: z.string(), totalCents: z.number().int(), currency: z.string() });

export const priceOrder = defineEvent({
  name: 'order:price',
  version: 1,
  payload: priceOrderPayload,
  response: priceOrderResponse,
});

export type PriceOrderPayload = z.output<typeof priceOrderPayload>;

/** The handler's work, identical in every scenario. */
export function price(payload: PriceOrderPayload): { sku: string; totalCents: number; currency: string } {
  const discount = payload.coupon === undefined ? 0 : 10;
  return {
    sku: payload.sku,
    totalCents: Math.round((payload.quantity * 1999 * (100 - discount)) / 100),
    currency: payload.currency,
  };
}

/** The fields of the request event every baseline reads, without a schema. */
export interface PriceOrderWireEvent {
  readonly name: string;
  readonly version: number;
  readonly id: string;
  readonly flowId: string;
  readonly payload: PriceOrderPayload;
}

/** The response event every baseline answers, in wire order: field for field what our server answers. */
export function priceOrderAnswer(event: PriceOrderWireEvent) {
  return {
    name: `${event.name}:response`,
    version: event.version,
    id: event.id,
    flowId: event.flowId,
    payload: price(event.payload),
    identity: {},
    auth: {},
    metadata: {},
  };
}

export const requestPayload: PriceOrderPayload = {
  sku: 'BOOK-1',
  quantity: 2,
  customerId: 'c-123456',
  currency: 'EUR',
  coupon: 'WELCOME10',
  shipping: { country: 'DE', postcode: '10115', express: false },
};

/** The request event every HTTP scenario posts (the same bytes every time). */
export const requestEvent = {
  name: 'order:price',
  version: 1,
  id: '6f1c2a8e-3b7d-4e59-9a41-2c8d5e7f9b13',
  flowId: 'b2e4d6f8-1a3c-4e5f-8a9b-0c1d2e3f4a5b',
  payload: requestPayload,
  identity: { userId: 'u-42', tenant: 'acme' },
  auth: { token: 'bench-token-0123456789abcdef' },
  metadata: { origin: 'bench-client', createdAt: '2026-11-22T10:00:00.000Z', locale: 'de-DE' },
};

export const requestBody = JSON.stringify(requestEvent);
