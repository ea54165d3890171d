import { readJson, readResponseEvent, writeJson, type ResponseEvent } from '@events-protocol/core';
import { EventClient, type EventTransport, type SendResult } from '@events-protocol/client';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { eventFieldNames, wellFormedEvent } from '../support/event-arbitraries.js';

// The client reads well-formed answers without the response event schema (its hot path); these
// properties hold that reading to exactly the schema's decision and output, for any answer text.

const fieldValue = fc.oneof(
  fc.string(),
  fc.constant(''),
  fc.integer({ min: -3, max: 3 }),
  fc.constantFrom(1, 2, -0, 0.5, 1e300, Number.MAX_SAFE_INTEGER, 2 ** 53),
  fc.constant(null),
  fc.boolean(),
  fc.array(fc.string(), { maxLength: 2 }),
  fc.dictionary(fc.constantFrom('a', '__proto__', 'constructor', 'prototype'), fc.jsonValue(), { maxKeys: 3 }),
);

const validAnswer = wellFormedEvent(
  fc.oneof(fc.string({ minLength: 1 }), fc.constantFrom('a:response', 'a:notFound', 'eventNotFound', 'a:redirect')),
);

/** A valid answer with some fields removed or replaced, plus an unknown key now and then, as JSON text. */
const nearValidAnswer = fc
  .tuple(
    validAnswer,
    fc.array(fc.tuple(fc.constantFrom(...eventFieldNames), fieldValue, fc.boolean()), { maxLength: 3 }),
    fc.boolean(),
  )
  .map(([answer, changes, extraKey]) => {
    const value: Record<string, unknown> = { ...answer };
    for (const [field, replacement, remove] of changes) {
      if (remove) Reflect.deleteProperty(value, field);
      else value[field] = replacement;
    }
    if (extraKey) value['extra'] = 'dropped';
    return JSON.stringify(value);
  });

/** Texts JSON.stringify does not write: own `__proto__` keys, integers beyond 2^53, a top-level array. */
const unusualText = fc.oneof(
  validAnswer.map((answer) =>
    JSON.stringify({ ...answer, identity: { k: 1 } }).replace(
      '"identity":{"k":1',
      '"identity":{"k":1,"__proto__":{"x":1}',
    ),
  ),
  validAnswer.map((answer) =>
    JSON.stringify({ ...answer, metadata: { k: 1 } }).replace('"metadata":{"k":1', '"metadata":{"k":1,"__proto__":1'),
  ),
  validAnswer.map((answer) => `{"__proto__":{"polluted":1},${JSON.stringify(answer).slice(1)}`),
  validAnswer.map((answer) => JSON.stringify(answer).replace(/"version":\d+/, '"version":12345678901234567890')),
  validAnswer.map((answer) => `[${JSON.stringify(answer)}]`),
);

const answerText = fc.oneof(
  validAnswer.map((answer) => JSON.stringify(answer)),
  nearValidAnswer,
  unusualText,
  fc.jsonValue().map((value) => JSON.stringify(value)),
);

/** Answers each call with the next text given to it. */
class ScriptedTransport implements EventTransport {
  text = '';
  send() {
    return Promise.resolve({ status: 200, body: this.text });
  }
  close() {
    return Promise.resolve();
  }
}

const transport = new ScriptedTransport();
const client = new EventClient({ transport, origin: 'property' });
afterAll(() => client.close());

/**
 * An event as something to compare: its JSON text (key order and 64-bit integers included), its
 * keys, and the prototypes of its objects. Two readings of one text are distinct objects, which
 * a payload with an own `constructor` key would tell apart under a strict comparison.
 */
function comparable(event: ResponseEvent) {
  return {
    text: writeJson(event),
    keys: Object.keys(event),
    prototypes: [event.identity, event.auth, event.metadata].map((object) => Object.getPrototypeOf(object) as unknown),
  };
}

/** What the schema decides about the answer text, read against the request the client sent. */
function schemaDecision(text: string, result: SendResult) {
  const event = readResponseEvent(readJson(text), result.request);
  return event === undefined ? { ok: false } : { ok: true, event: comparable(event) };
}

function clientDecision(result: SendResult) {
  if (result.kind === 'success' || result.kind === 'error') return { ok: true, event: comparable(result.event) };
  expect(result).toMatchObject({ kind: 'failedDependency', reason: 'invalidResponse' });
  return { ok: false };
}

// Budgeted by case count, not time: the limit is only there to end a hung run on a busy machine.
const propertyTimeoutMs = 180_000;

describe('the client reads answers as the response event schema does', () => {
  it(
    'accepts and refuses the same answers, with equal events',
    async () => {
      await fc.assert(
        fc.asyncProperty(answerText, async (text) => {
          transport.text = text;
          const result = await client.sendEvent({ name: 'a', payload: null });
          expect(clientDecision(result)).toStrictEqual(schemaDecision(text, result));
        }),
        { numRuns: 5_000 },
      );
    },
    propertyTimeoutMs,
  );

  it('never keeps a __proto__ key of identity, auth or metadata', async () => {
    transport.text =
      '{"name":"a:response","version":1,"id":"i","flowId":"f","payload":null,"identity":{"__proto__":{"polluted":1},"user":"u"},"auth":{},"metadata":{}}';
    const result = await client.sendEvent({ name: 'a', payload: null });
    expect(result.kind === 'success' && Object.keys(result.event.identity)).toEqual(['user']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});
