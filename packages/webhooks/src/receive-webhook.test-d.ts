import { definePublishedEvent } from '@events-protocol/core';
import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { receiveWebhook } from './receive-webhook.js';
import type { WebhookDispatcher } from './webhook-dispatcher.js';

const placed = definePublishedEvent({ name: 'order:placed', payload: z.object({ orderId: z.string() }) });
const cancelled = definePublishedEvent({ name: 'order:cancelled', payload: z.object({ reason: z.string() }) });

describe('receiveWebhook types', () => {
  it('narrows the event by its name to its contract payload', () => {
    const result = receiveWebhook([placed, cancelled], { secret: 'whsec_', headers: {}, body: '' });
    if (!result.ok) {
      expectTypeOf(result.status).toEqualTypeOf<400 | 401 | 422>();
      return;
    }
    if (result.event.name === 'order:placed') expectTypeOf(result.event.payload).toEqualTypeOf<{ orderId: string }>();
    else expectTypeOf(result.event.payload).toEqualTypeOf<{ reason: string }>();
  });

  it('types deliverEvent(contract, payload) by the contract', () => {
    const deliver = (dispatcher: WebhookDispatcher) => {
      void dispatcher.deliverEvent(placed, { orderId: '1' }, { fields: { id: 'x' } });
      // @ts-expect-error -- the payload must match the contract
      void dispatcher.deliverEvent(placed, { orderId: 1 });
    };
    expectTypeOf(deliver).toBeFunction();
  });
});
