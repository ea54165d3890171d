import { describe, expect, it } from 'vitest';
import { checkHeaders, checkPublishOptions } from './check-publish-options.js';
import { createPublishedEvent } from './published-event.js';
import { isPermanentPublishError, PublishError, PublishErrorCode } from './publish-error.js';
import { outgoingEvent, serializeEvent } from './serialize-event.js';

const event = createPublishedEvent({
  name: 'order:placed',
  payload: { id: 2n ** 64n },
  identity: { userId: 'u-1' },
  auth: { token: 't-1' },
  metadata: { origin: 'shop' },
});

describe('outgoingEvent and serializeEvent', () => {
  it('send the nine fields in protocol order, identity and auth as {} unless let out', () => {
    expect(Object.keys(outgoingEvent(event))).toEqual([
      'name',
      'version',
      'id',
      'flowId',
      'payload',
      'identity',
      'auth',
      'metadata',
      'createdAt',
    ]);
    expect(outgoingEvent(event)).toMatchObject({ identity: {}, auth: {} });
    expect(outgoingEvent(event, { identity: true })).toMatchObject({ identity: { userId: 'u-1' }, auth: {} });
    expect(outgoingEvent(event, { auth: true })).toMatchObject({ identity: {}, auth: { token: 't-1' } });
  });

  it('write bigints exactly and extra fields after the event', () => {
    const text = serializeEvent(event, 'test', { extra: { topic: 'orders' } });
    expect(text).toContain('"payload":{"id":18446744073709551616}');
    expect(text.endsWith(`"createdAt":"${event.createdAt}","topic":"orders"}`)).toBe(true);
  });

  it('refuse what JSON cannot carry as SERIALIZATION_FAILED naming the path and the sink', () => {
    const bad = { ...event, payload: { items: [1, 2, () => 3] } };
    expect(() => serializeEvent(bad, 'http:example')).toThrow(
      expect.objectContaining({
        code: 'SERIALIZATION_FAILED',
        sink: 'http:example',
        message: expect.stringContaining('payload.items[2] is a function') as unknown,
      }),
    );
    // A function in auth is not written, so not refused, unless auth goes out.
    const badAuth = { ...event, auth: { refresh: () => 'x' } };
    expect(() => serializeEvent(badAuth, 'test')).not.toThrow();
    expect(() => serializeEvent(badAuth, 'test', { auth: true })).toThrow(/auth\.refresh is a function/);
  });
});

describe('checkPublishOptions and checkHeaders', () => {
  it('refuse control characters in the topic and attributes as INVALID_EVENT, never echoing the value', () => {
    for (const options of [
      { topic: 'a\nb' },
      { attributes: { region: 'eu\r\n' } },
      { attributes: { region: 'e\u0000u' } },
      { attributes: { '': 'x' } },
    ]) {
      expect(() => checkPublishOptions(options, 'sink'), JSON.stringify(options)).toThrow(
        expect.objectContaining({ code: 'INVALID_EVENT' }),
      );
    }
    expect(() =>
      checkPublishOptions({ topic: 'orders', attributes: { region: 'eu\tx', note: 'café' } }, 's'),
    ).not.toThrow();
  });

  it('reject an aborted publish as ABORTED before looking further', () => {
    const signal = AbortSignal.abort();
    expect(() => checkPublishOptions({ signal, topic: 'a\nb' }, 's')).toThrow(
      expect.objectContaining({ code: 'ABORTED' }),
    );
  });

  it('refuse headers HTTP cannot carry, naming the header only', () => {
    expect(() => checkHeaders({ 'x-a': 'ok', 'x-b': 'secret\r\nx: 1' }, 's')).toThrow(/header 'x-b'/);
    expect(() => checkHeaders({ 'x-b': 'secret\r\nx: 1' }, 's')).not.toThrow(/secret/);
    expect(() => checkHeaders({ 'x a': 'v' }, 's')).toThrow(/cannot be an HTTP header name/);
    expect(() => checkHeaders({ 'x-euro': '€' }, 's')).toThrow(expect.objectContaining({ code: 'INVALID_EVENT' }));
  });
});

describe('isPermanentPublishError', () => {
  it('is true only for failures of the event itself', () => {
    const invalid = new PublishError(PublishErrorCode.InvalidEvent, 'x');
    const serialization = new PublishError(PublishErrorCode.SerializationFailed, 'x');
    const unreachable = new PublishError(PublishErrorCode.Unreachable, 'x');
    expect(isPermanentPublishError(invalid)).toBe(true);
    expect(isPermanentPublishError(serialization)).toBe(true);
    expect(isPermanentPublishError(unreachable)).toBe(false);
    expect(isPermanentPublishError(new Error('INVALID_EVENT'))).toBe(false);
    const partial = (failures: PublishError[]) => new PublishError(PublishErrorCode.PartialFailure, 'x', { failures });
    expect(isPermanentPublishError(partial([invalid, serialization]))).toBe(true);
    expect(isPermanentPublishError(partial([invalid, unreachable]))).toBe(false);
    expect(isPermanentPublishError(partial([]))).toBe(false);
  });
});
