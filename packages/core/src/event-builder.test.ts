import { describe, expect, it } from 'vitest';
import { defineErrorFamily } from './error-family.js';
import { EventErrorType } from './error-type.js';
import { EventBuilder } from './event-builder.js';
import { EventError, isEventError } from './event-error.js';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('EventBuilder', () => {
  it('builds requests with new UUIDs and version 1 by default', () => {
    const request = EventBuilder.request({ name: 'user:get', payload: { userId: '1' } });
    expect(request).toMatchObject({
      name: 'user:get',
      version: 1,
      payload: { userId: '1' },
      identity: {},
      auth: {},
      metadata: {},
    });
    expect(request.id).toMatch(uuid);
    expect(request.flowId).toMatch(uuid);
    expect(request.id).not.toBe(request.flowId);
    expect(Object.keys(request)).toEqual([
      'name',
      'version',
      'id',
      'flowId',
      'payload',
      'identity',
      'auth',
      'metadata',
    ]);
  });

  it('answers with the request id, flowId and version, never its identity or auth', () => {
    const request = EventBuilder.request({
      name: 'a',
      version: 4,
      payload: null,
      identity: { userId: 'u' },
      auth: { token: 't' },
    });
    const response = EventBuilder.responseFor(request, { ok: true });
    expect(response).toEqual({
      name: 'a:response',
      version: 4,
      id: request.id,
      flowId: request.flowId,
      payload: { ok: true },
      identity: {},
      auth: {},
      metadata: {},
    });
  });

  it('builds typed errors, redirects and protocol errors', () => {
    const request = EventBuilder.request({ name: 'user:get', version: 2, payload: null });
    expect(
      EventBuilder.errorFor(request, EventErrorType.NotFound, { code: 'USER_NOT_FOUND', parameters: { userId: '1' } }),
    ).toMatchObject({
      name: 'user:get:notFound',
      version: 2,
      payload: { code: 'USER_NOT_FOUND', parameters: { userId: '1' } },
    });
    expect(EventBuilder.redirectFor(request, { url: 'https://x' }).payload).toEqual({
      url: 'https://x',
      queryParameters: {},
    });
    expect(EventBuilder.eventNotFound(request)).toMatchObject({
      name: 'eventNotFound',
      version: 1,
      id: request.id,
      payload: { code: 'NO_EVENT_HANDLER_FOUND', parameters: { event: 'user:get', version: 2 } },
    });
    const badProtocol = EventBuilder.badProtocol({ propertyName: 'version', id: 'i' });
    expect(badProtocol).toMatchObject({
      name: 'badProtocol',
      version: 1,
      id: 'i',
      payload: { code: 'INVALID_COMMUNICATION_PROTOCOL', parameters: { propertyName: 'version' } },
    });
    expect(badProtocol.flowId).toMatch(uuid);
    expect(EventBuilder.badProtocol({}).payload).toEqual({ code: 'INVALID_COMMUNICATION_PROTOCOL', parameters: {} });
  });
});

describe('EventError', () => {
  it('carries an error type, code and parameters, and is recognised across copies', () => {
    const error = new EventError(EventErrorType.Forbidden, { code: 'NOT_OWNER' });
    expect(error.toEventMessage()).toEqual({ code: 'NOT_OWNER', parameters: {} });
    expect(isEventError(error)).toBe(true);
    const otherCopy = defineErrorFamily('EventError');
    expect(isEventError(new otherCopy.Base('X', 'gone: X'))).toBe(true);
    expect(isEventError({ name: 'EventError', errorType: 'gone', code: 'X', parameters: {} })).toBe(false);
    expect(isEventError(new Error('x'))).toBe(false);
    expect(isEventError(null)).toBe(false);
  });
});
