import { describe, expect, it } from 'vitest';
import { readRequestEvent } from './request-event.js';

const valid = {
  name: 'user:get',
  version: 1,
  id: 'id-1',
  flowId: 'flow-1',
  payload: { a: 1 },
  identity: {},
  auth: {},
  metadata: {},
};

describe('readRequestEvent', () => {
  it('reads a complete event and drops unknown top-level keys', () => {
    const read = readRequestEvent({ ...valid, extra: true });
    expect(read).toEqual({ ok: true, event: valid });
  });

  it('is lenient by default: missing identity, auth, metadata become {} and payload null', () => {
    const read = readRequestEvent({ name: 'a', version: 2, id: 'i', flowId: 'f' });
    expect(read).toEqual({
      ok: true,
      event: { name: 'a', version: 2, id: 'i', flowId: 'f', payload: null, identity: {}, auth: {}, metadata: {} },
    });
  });

  it('does not share default objects between events', () => {
    const first = readRequestEvent({ name: 'a', version: 1, id: 'i', flowId: 'f' });
    const second = readRequestEvent({ name: 'a', version: 1, id: 'i', flowId: 'f' });
    expect(first.ok && second.ok && first.event.metadata !== second.event.metadata).toBe(true);
  });

  it('requires all eight keys when strict', () => {
    const { payload: _payload, ...withoutPayload } = valid;
    expect(readRequestEvent(withoutPayload, { strict: true })).toMatchObject({ ok: false, propertyName: 'payload' });
    expect(readRequestEvent({ ...valid, payload: null }, { strict: true }).ok).toBe(true);
    const { metadata: _metadata, ...withoutMetadata } = valid;
    expect(readRequestEvent(withoutMetadata, { strict: true })).toMatchObject({ ok: false, propertyName: 'metadata' });
  });

  it.each([
    [{}, 'name'],
    [{ ...valid, name: '' }, 'name'],
    [{ ...valid, name: 3 }, 'name'],
    [{ ...valid, version: '1' }, 'version'],
    [{ ...valid, version: 0 }, 'version'],
    [{ ...valid, version: 1.5 }, 'version'],
    [{ ...valid, version: -0 }, 'version'],
    [{ ...valid, id: null }, 'id'],
    [{ ...valid, flowId: 7 }, 'flowId'],
    [{ ...valid, identity: [] }, 'identity'],
    [{ ...valid, auth: 'token' }, 'auth'],
    [{ ...valid, metadata: null }, 'metadata'],
    [{ version: 'x', id: 3 }, 'name'],
  ])('names the first offending field of %j: %s', (value, field) => {
    expect(readRequestEvent(value)).toMatchObject({ ok: false, propertyName: field });
  });

  it('names no field when the value is not an object', () => {
    for (const value of [null, [], [valid], 'text', 42, true]) {
      expect(readRequestEvent(value)).toEqual({ ok: false, propertyName: undefined, id: undefined, flowId: undefined });
    }
  });

  it('keeps usable id and flowId of an invalid event to echo them', () => {
    expect(readRequestEvent({ id: 'i-1', flowId: 'f-1', version: 1 })).toEqual({
      ok: false,
      propertyName: 'name',
      id: 'i-1',
      flowId: 'f-1',
    });
  });
});
