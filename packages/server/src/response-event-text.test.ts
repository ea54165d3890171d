import { writeJson } from '@events-protocol/core';
import { describe, expect, it } from 'vitest';
import { writeResponseEventJson } from './response-event-text.js';

const built = {
  name: 'order:price:response',
  version: 1,
  id: 'a-1',
  flowId: 'f-1',
  payload: { total: 3598n, note: 'é"\n' },
  identity: {},
  auth: {},
  metadata: {},
};

/** Writes an answer and checks it is exactly what writeJson writes. */
function write(answer: Record<string, unknown>): string {
  const text = writeResponseEventJson(answer as never);
  expect(text).toBe(writeJson(answer));
  return text;
}

describe('writeResponseEventJson', () => {
  it('writes a built answer from the template, bigints with all their digits', () => {
    expect(write(built)).toBe(
      '{"name":"order:price:response","version":1,"id":"a-1","flowId":"f-1","payload":{"total":3598,"note":"é\\"\\n"},"identity":{},"auth":{},"metadata":{}}',
    );
  });

  it('writes non-empty identity, auth and metadata with their keys', () => {
    expect(write({ ...built, metadata: { deprecation: { deprecated: true } } })).toContain(
      '"metadata":{"deprecation":{"deprecated":true}}',
    );
  });

  it('falls back for keys in another order, or other keys', () => {
    const { name, ...rest } = built;
    expect(write({ ...rest, name })).toMatch(/^\{"version":1,.*"name":"order:price:response"\}$/);
    expect(write({ ...built, extra: 1 })).toMatch(/"extra":1\}$/);
  });

  it('falls back for a toJSON on the envelope or its object fields', () => {
    expect(write({ ...built, toJSON: () => 'replaced' })).toBe('"replaced"');
    expect(write({ ...built, auth: { toJSON: (key: string) => `key:${key}` } })).toContain('"auth":"key:auth"');
  });

  it("falls back for a payload with toJSON, which is called with the key 'payload'", () => {
    expect(write({ ...built, payload: { toJSON: (key: string) => `key:${key}` } })).toContain(
      '"payload":"key:payload"',
    );
  });

  it('falls back for a payload JSON leaves out, and for fields JSON writes otherwise', () => {
    expect(write({ ...built, payload: undefined })).not.toContain('"payload"');
    expect(write({ ...built, payload: () => 1 })).not.toContain('"payload"');
    expect(write({ ...built, version: Number.NaN })).toContain('"version":null');
    expect(write({ ...built, id: undefined })).not.toContain('"id"');
    expect(write({ ...built, identity: null })).toContain('"identity":null');
  });

  it('falls back for an answer that is not a plain object', () => {
    class WrittenItsOwnWay {
      constructor() {
        Object.assign(this, built);
      }
      toJSON(): string {
        return 'its own way';
      }
    }
    expect(write(new WrittenItsOwnWay() as unknown as Record<string, unknown>)).toBe('"its own way"');
    expect(write(Object.assign(Object.create(null) as object, built) as Record<string, unknown>)).toBe(
      writeJson(built),
    );
  });
});
