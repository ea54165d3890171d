import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { definePublishedEvent, type PublishedEventOf, type PublishedPayloadInput } from './define-published-event.js';

const orderPlaced = definePublishedEvent({
  name: 'order:placed',
  payload: z.object({ orderId: z.string(), placedAt: z.string().transform((text) => new Date(text)) }),
});

describe('definePublishedEvent types', () => {
  it('types create by the schema: input in, output out, the name literal', () => {
    const event = orderPlaced.create({ orderId: '1', placedAt: '2026-01-01' });
    expectTypeOf(event.name).toEqualTypeOf<'order:placed'>();
    expectTypeOf(event.payload).toEqualTypeOf<{ orderId: string; placedAt: Date }>();
    expectTypeOf<PublishedPayloadInput<typeof orderPlaced>>().toEqualTypeOf<{ orderId: string; placedAt: string }>();
    expectTypeOf<PublishedEventOf<typeof orderPlaced>['payload']>().toEqualTypeOf<{
      orderId: string;
      placedAt: Date;
    }>();
    // @ts-expect-error -- orderId must be a string
    orderPlaced.create({ orderId: 1, placedAt: '2026-01-01' });
    // @ts-expect-error -- placedAt is missing
    orderPlaced.create({ orderId: '1' });
  });
});
