import { defineEvent, responseEventSchema, writeJson, type ResponseEvent } from '@events-protocol/core';
import { EventProcessor, EventRegistry } from '@events-protocol/server';
import fc from 'fast-check';
import { expect } from 'vitest';
import { z } from 'zod';

/** Cases per property: the issue asks for at least 10,000 in CI. */
export const fuzzRuns = 10_000;

const order = defineEvent({
  name: 'order:place',
  payload: z.object({
    sku: z.string().max(64),
    quantity: z.number().int().positive(),
    note: z.string().max(1000).optional(),
  }),
  response: z.object({ accepted: z.boolean() }),
});

/** A processor with the kinds of handlers that meet hostile input: an echo, a contract, a thrower. */
export function fuzzProcessor(): EventProcessor {
  const registry = new EventRegistry()
    .register({ name: 'echo', handler: (event) => event.payload })
    .on(order, () => ({ accepted: true }))
    .register({
      name: 'merge',
      // What careless handlers do with payloads: copy their keys around.
      handler: (event) => ({ ...(event.payload as object), merged: true }),
    })
    .register({
      name: 'boom',
      handler: () => {
        throw new Error('internal detail that must not leak');
      },
    });
  return new EventProcessor(registry, { handlerTimeoutMs: 1000 });
}

const fieldNames = ['name', 'version', 'id', 'flowId', 'payload', 'identity', 'auth', 'metadata'] as const;
const dangerousKeys = ['__proto__', 'constructor', 'prototype'];

const hostileValue = fc.oneof(
  fc.jsonValue(),
  fc.string({ unit: 'binary', maxLength: 64 }),
  fc.constantFrom('', ' ', '\u0000', '\uD800', '\uFEFF', '💥'.repeat(50), 'x'.repeat(100_000)),
  fc.constantFrom(0, -0, -1, 1.5, 2 ** 53, 2 ** 64, Number.MAX_VALUE, Number.MIN_VALUE),
  fc.dictionary(fc.constantFrom(...dangerousKeys, 'a'), fc.jsonValue(), { maxKeys: 3 }),
);

/** Events one mutation away from valid: fields removed, mistyped, huge, empty, or dangerous keys added. */
export const nearValidEventText = fc
  .tuple(
    fc.constantFrom('echo', 'order:place', 'merge', 'boom', 'unknown:event'),
    fc.array(fc.tuple(fc.constantFrom(...fieldNames), fc.option(hostileValue, { nil: undefined })), { maxLength: 3 }),
    fc.constantFrom(...dangerousKeys, 'extra'),
    fc.jsonValue(),
  )
  .map(([name, changes, extraKey, extraValue]) => {
    const event: Record<string, unknown> = {
      name,
      version: 1,
      id: 'id-1',
      flowId: 'flow-1',
      payload: { sku: 'BOOK-1', quantity: 1 },
      identity: {},
      auth: { token: 'secret-token' },
      metadata: {},
    };
    for (const [field, value] of changes) event[field] = value;
    const text = JSON.stringify(Object.fromEntries(Object.entries(event).filter(([, value]) => value !== undefined)));
    // JSON.stringify cannot write a `__proto__` key; splice the extra key in as text.
    return `{${JSON.stringify(extraKey)}:${JSON.stringify(extraValue)},${text.slice(1)}`;
  });

/** Numbers JSON.parse turns into Infinity or -0, as texts, in the version field. */
export const oddVersionText = fc
  .constantFrom(
    '1e309',
    '-1e309',
    '-0',
    '0',
    '1.0',
    '1e0',
    '01',
    '1.5',
    '9007199254740993',
    '"1"',
    'null',
    'true',
    '[]',
  )
  .map((version) => `{"name":"echo","version":${version},"id":"i","flowId":"f","payload":1}`);

/** Asserts that an answer is a well-formed response event for the protocol, leaking nothing. */
export function expectWellFormedAnswer(answer: unknown): asserts answer is ResponseEvent {
  const text = writeJson(answer);
  const parsed = responseEventSchema.safeParse(answer);
  expect(parsed.success, text.slice(0, 300)).toBe(true);
  const event = answer as ResponseEvent;
  const allowed =
    event.name === 'badProtocol' ||
    event.name === 'eventNotFound' ||
    /^(echo|order:place|merge|boom):[A-Za-z]+$/.test(event.name);
  expect(allowed, event.name).toBe(true);
  expect(text).not.toContain('secret-token');
  expect(text).not.toContain('internal detail');
  expect(text).not.toMatch(/\n\s+at /);
}

/** Asserts that nothing has polluted the shared prototypes. */
export function expectNoPollution(): void {
  const probe = {} as Record<string, unknown>;
  expect(probe['polluted']).toBeUndefined();
  expect(Object.getPrototypeOf(probe)).toBe(Object.prototype);
  expect(Object.keys(Object.prototype)).toEqual([]);
}
