import { defineEvent } from '@events-protocol/core';
import { EventRegistry, type PublishedEventDocument } from '@events-protocol/server';
import { z } from 'zod';
import { catalogProcessor } from '../../examples/src/catalog-service.js';
import { placeOrder } from '../../examples/src/orders-service.js';

/** The demo catalog service's registry, as the demo serves it. */
export function catalogRegistry(): EventRegistry {
  return catalogProcessor().registry;
}

/** The demo orders service's contract in a registry (its handler needs a catalog and an outbox). */
export function ordersRegistry(): EventRegistry {
  return new EventRegistry().on(placeOrder, () => ({ orderId: 'o-1', reservationId: 'r-1', totalCents: 1999 }));
}

/** What the orders service publishes: `order:placed` as a signed webhook and on a topic. */
export const ordersPublished: readonly PublishedEventDocument[] = [
  {
    name: 'order:placed',
    payload: z.object({
      orderId: z.string(),
      sku: z.string(),
      quantity: z.number().int(),
      totalCents: z.number().int(),
    }),
    channel: 'webhook',
    description: 'An order was placed.',
  },
  {
    name: 'order:placed',
    payload: { type: 'object', properties: { orderId: { type: 'string' } }, required: ['orderId'] },
    channel: 'orders',
  },
];

const user = z.object({ id: z.string(), name: z.string() });

/** `user:get` v1, deprecated with a sunset. */
export const getUserV1 = defineEvent({
  name: 'user:get',
  version: 1,
  description: 'Reads a user.',
  payload: z.object({ id: z.string() }),
  response: user,
  deprecated: { sunset: '2027-06-30', note: 'use version 2' },
});

/** `user:get` v2, with typed errors. */
export const getUserV2 = defineEvent({
  name: 'user:get',
  version: 2,
  description: 'Reads a user, with its roles.',
  payload: z.object({ id: z.string(), withRoles: z.boolean().optional() }),
  response: user.extend({ roles: z.array(z.enum(['admin', 'member'])) }),
  errors: {
    notFound: z.object({ id: z.string() }),
    forbidden: z.object({ reason: z.string() }),
  },
});

/** A registry with two versions of one contract, typed errors and a deprecation. */
export function versionedRegistry(): EventRegistry {
  return new EventRegistry()
    .on(getUserV1, (event) => ({ id: event.payload.id, name: 'Ada' }))
    .on(getUserV2, (event) => ({ id: event.payload.id, name: 'Ada', roles: ['admin' as const] }));
}
