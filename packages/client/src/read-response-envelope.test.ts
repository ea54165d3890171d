import { describe, expect, it } from 'vitest';
import { readResponseEnvelope } from './read-response-envelope.js';

const defaults = { version: 3, id: 'request-id', flowId: 'request-flow' };

function answer(): Record<string, unknown> {
  return JSON.parse(
    '{"name":"a:response","version":1,"id":"i","flowId":"f","payload":{"n":1},"identity":{"u":1},"auth":{},"metadata":{"m":2},"extra":true}',
  ) as Record<string, unknown>;
}

describe('readResponseEnvelope', () => {
  it('reads a complete answer by hand: its objects are kept, unknown keys dropped', () => {
    const value = answer();
    const event = readResponseEnvelope(value, defaults);
    expect(event).toEqual({
      name: 'a:response',
      version: 1,
      id: 'i',
      flowId: 'f',
      payload: { n: 1 },
      identity: { u: 1 },
      auth: {},
      metadata: { m: 2 },
    });
    // The schema copies records; the hand check keeps the parsed ones.
    expect(event?.identity).toBe(value['identity']);
    expect(event?.metadata).toBe(value['metadata']);
  });

  it('leaves an answer with omissions to the schema, which fills them from the request', () => {
    const value = answer();
    delete value['version'];
    delete value['payload'];
    delete value['auth'];
    const event = readResponseEnvelope(value, defaults);
    expect(event).toMatchObject({ version: 3, payload: null, auth: {}, identity: { u: 1 } });
    expect(event?.identity).not.toBe(value['identity']);
  });

  it('refuses what is not a response event', () => {
    for (const value of [
      null,
      [],
      'a',
      { ...answer(), name: '' },
      { ...answer(), version: 1.5 },
      { ...answer(), metadata: [] },
    ]) {
      expect(readResponseEnvelope(value, defaults)).toBeUndefined();
    }
  });
});
