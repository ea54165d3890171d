import { describe, expect, it } from 'vitest';
import { cloudEventHeaders, fromCloudEvent, toCloudEvent, validateCloudEvent } from './cloudevents.js';
import { createPublishedEvent } from './published-event.js';

describe('CloudEvents 1.0', () => {
  const event = createPublishedEvent({
    name: 'order:placed',
    version: 2,
    payload: { orderId: 'o-1', total: 2n ** 63n },
    auth: { token: 'never-leaves' },
  });

  it('converts both ways, keeping flowId and version as extensions and never auth', () => {
    const cloudEvent = toCloudEvent(event, { source: '/orders-service', subject: 'orders' });
    expect(cloudEvent).toEqual({
      specversion: '1.0',
      id: event.id,
      source: '/orders-service',
      type: 'order:placed',
      time: event.createdAt,
      datacontenttype: 'application/json',
      data: event.payload,
      flowid: event.flowId,
      eventversion: 2,
      subject: 'orders',
    });
    expect(
      JSON.stringify(cloudEvent, (_key, value: unknown) => (typeof value === 'bigint' ? String(value) : value)),
    ).not.toContain('never-leaves');
    expect(fromCloudEvent(cloudEvent)).toMatchObject({
      name: 'order:placed',
      version: 2,
      id: event.id,
      flowId: event.flowId,
      payload: event.payload,
      createdAt: event.createdAt,
      auth: {},
    });
  });

  it('writes binary-mode headers', () => {
    const headers = cloudEventHeaders(toCloudEvent(event, { source: '/orders' }));
    expect(headers).toMatchObject({
      'ce-specversion': '1.0',
      'ce-id': event.id,
      'ce-source': '/orders',
      'ce-type': 'order:placed',
      'ce-flowid': event.flowId,
      'ce-eventversion': '2',
      'content-type': 'application/json',
    });
    expect(headers).not.toHaveProperty('ce-data');
  });

  it('refuses what the spec does not allow, naming the attribute', () => {
    const valid = { specversion: '1.0', id: '1', source: '/s', type: 't' };
    expect(() => validateCloudEvent(valid)).not.toThrow();
    expect(() => validateCloudEvent({ ...valid, specversion: '0.3' })).toThrow(/specversion/);
    expect(() => validateCloudEvent({ ...valid, id: '' })).toThrow(/id must be/);
    expect(() => validateCloudEvent({ ...valid, source: undefined })).toThrow(/source is required/);
    expect(() => validateCloudEvent({ ...valid, source: 'a b' })).toThrow(/source must be a URI-reference/);
    expect(() => validateCloudEvent({ ...valid, subject: '' })).toThrow(/subject must be a non-empty string/);
    expect(() => validateCloudEvent({ ...valid, ratio: 0.5 })).toThrow(/extension 'ratio' must be/);
    expect(() => validateCloudEvent({ ...valid, abcdefghijklmnopqrstuvwxyz: 'x' })).not.toThrow();
    expect(() => validateCloudEvent({ ...valid, subject: null, time: null })).not.toThrow();
    expect(() => validateCloudEvent({ ...valid, time: 'yesterday' })).toThrow(/time/);
    expect(() => validateCloudEvent({ ...valid, flowId: 'x' })).toThrow(/'flowId'/);
    expect(() => fromCloudEvent([])).toThrow(/not an object/);
    expect(fromCloudEvent(valid)).toMatchObject({ name: 't', version: 1, flowId: '1', payload: null });
    expect(fromCloudEvent({ ...valid, subject: null }).metadata).toEqual({ source: '/s' });
  });

  it('leaves out optional attributes that would be empty', () => {
    const cloudEvent = toCloudEvent({ ...event, flowId: '' }, { source: '/orders', subject: '' });
    expect(cloudEvent).not.toHaveProperty('subject');
    expect(cloudEvent).not.toHaveProperty('flowid');
    expect(cloudEventHeaders({ ...cloudEvent, subject: null })).not.toHaveProperty('ce-subject');
  });
});
