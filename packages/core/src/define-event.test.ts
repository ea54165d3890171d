import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { contractJsonSchemas, defineEvent } from './define-event.js';

const getUser = defineEvent({
  name: 'user:get',
  version: 2,
  payload: z.object({ userId: z.string(), verbose: z.boolean().default(false) }),
  response: z.object({ userId: z.string(), name: z.string() }),
  description: 'Reads one user.',
});

describe('defineEvent', () => {
  it('keeps name, version and schemas, version 1 by default', () => {
    expect(getUser).toMatchObject({ name: 'user:get', version: 2, description: 'Reads one user.' });
    expect(defineEvent({ name: 'ping', payload: z.null(), response: z.literal('pong') }).version).toBe(1);
    expect(Object.isFrozen(getUser)).toBe(true);
  });

  it('refuses empty names and bad versions', () => {
    expect(() => defineEvent({ name: '', payload: z.null(), response: z.null() })).toThrow(/name/);
    expect(() => defineEvent({ name: 'a', version: 0, payload: z.null(), response: z.null() })).toThrow(/version/);
  });

  it('derives JSON Schemas once: payload as callers write it, response as they read it', () => {
    const schemas = contractJsonSchemas(getUser);
    expect(schemas.payload).toMatchObject({
      type: 'object',
      required: ['userId'],
      properties: { userId: { type: 'string' } },
    });
    expect(schemas.response).toMatchObject({ type: 'object', required: ['userId', 'name'] });
    expect(contractJsonSchemas(getUser)).toBe(schemas);
  });

  it('represents what JSON Schema cannot express as an open schema instead of failing', () => {
    const contract = defineEvent({ name: 'big', payload: z.object({ id: z.bigint() }), response: z.null() });
    expect(contractJsonSchemas(contract).payload).toMatchObject({ type: 'object' });
  });
});
