import { describe, expect, it } from 'vitest';
import type { RequestEvent } from './request-event.js';
import { runInEventContext } from './flow-context.js';
import { withPublishedEventDefaults } from './published-event-fields.js';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const handled: RequestEvent = {
  name: 'order:place',
  version: 1,
  id: 'request-1',
  flowId: 'flow-of-the-request',
  payload: null,
  identity: {},
  auth: {},
  metadata: {},
};

describe('withPublishedEventDefaults', () => {
  it('fills in a new id and flowId, {} for identity, auth and metadata, and now', () => {
    const before = Date.now();
    const event = withPublishedEventDefaults('order:placed', 2, { orderId: 'o-1' }, {});
    expect([event.name, event.version, event.payload]).toEqual(['order:placed', 2, { orderId: 'o-1' }]);
    expect([event.identity, event.auth, event.metadata]).toEqual([{}, {}, {}]);
    expect(event.id).toMatch(uuid);
    expect(event.flowId).toMatch(uuid);
    expect(event.flowId).not.toBe(event.id);
    expect(Date.parse(event.createdAt)).toBeGreaterThanOrEqual(before - 1);
  });

  it('keeps every field given, and writes them in wire order', () => {
    const fields = {
      id: 'e-1',
      flowId: 'f-1',
      identity: { userId: 'u-1' },
      auth: { token: 't' },
      metadata: { origin: 'shop' },
      createdAt: new Date('2026-01-02T03:04:05.678Z'),
    };
    expect(JSON.stringify(withPublishedEventDefaults('order:placed', 1, null, fields))).toBe(
      '{"name":"order:placed","version":1,"id":"e-1","flowId":"f-1","payload":null,"identity":{"userId":"u-1"},' +
        '"auth":{"token":"t"},"metadata":{"origin":"shop"},"createdAt":"2026-01-02T03:04:05.678Z"}',
    );
  });

  it('carries the flowId of the event being handled, unless one is given', () => {
    runInEventContext({ event: handled }, () => {
      expect(withPublishedEventDefaults('order:placed', 1, null, {}).flowId).toBe('flow-of-the-request');
      expect(withPublishedEventDefaults('order:placed', 1, null, { flowId: 'mine' }).flowId).toBe('mine');
    });
  });
});
