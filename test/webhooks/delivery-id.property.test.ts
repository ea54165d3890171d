import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseWebhookDeliveryId, webhookDeliveryId } from '@events-protocol/webhooks';

describe('webhookDeliveryId', () => {
  it('is the same for the same pair, and tells apart pairs that a plain join would mix up', () => {
    expect(webhookDeliveryId('sub-1', 'evt-1')).toBe('5:sub-1:evt-1');
    expect(webhookDeliveryId('a:b', 'c')).not.toBe(webhookDeliveryId('a', 'b:c'));
  });

  it('reads back every pair it wrote, and only those', () => {
    const id = fc.string({ minLength: 1, maxLength: 200 });
    fc.assert(
      fc.property(id, id, id, id, (sub1, event1, sub2, event2) => {
        expect(parseWebhookDeliveryId(webhookDeliveryId(sub1, event1))).toEqual({
          subscriptionId: sub1,
          eventId: event1,
        });
        if (sub1 !== sub2 || event1 !== event2) {
          expect(webhookDeliveryId(sub1, event1)).not.toBe(webhookDeliveryId(sub2, event2));
        }
      }),
      { numRuns: 2000 },
    );
    for (const other of ['evt-1', '9:short:x', '3:abcd', ':a:b', '2:ab']) {
      expect(parseWebhookDeliveryId(other), other).toBeUndefined();
    }
  });
});
