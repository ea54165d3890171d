import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { contractJsonSchemas, defineEvent, errorJsonSchemas } from './define-event.js';
import { isEventError } from './event-error.js';

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

  it('refuses schemas that are not Standard Schemas, naming the part', () => {
    // A JSON Schema or a look-alike passes the structural type when cast, never the check.
    const lookAlike = { _zod: { input: 1, output: 1 } } as unknown as z.ZodNull;
    expect(() => defineEvent({ name: 'a', payload: lookAlike, response: z.null() })).toThrow(
      /the payload of 'a' must be a Standard Schema v1/,
    );
    expect(() => defineEvent({ name: 'a', payload: z.null(), response: { type: 'object' } as never })).toThrow(
      /the response of 'a' must be a Standard Schema v1/,
    );
    expect(() =>
      defineEvent({ name: 'a', payload: z.null(), response: z.null(), errors: { notFound: 'x' as never } }),
    ).toThrow(/the error 'notFound' of 'a' must be a Standard Schema v1/);
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

const findUser = defineEvent({
  name: 'user:find',
  payload: z.object({ userId: z.string() }),
  response: z.null(),
  errors: {
    notFound: z.object({ userId: z.string() }),
    quotaExceeded: z.object({ limit: z.number().int(), resetAt: z.iso.datetime() }),
  },
});

describe('declared errors', () => {
  it('keeps the declared errors, frozen, and refuses types that cannot be declared', () => {
    expect(Object.keys(findUser.errors)).toEqual(['notFound', 'quotaExceeded']);
    expect(Object.isFrozen(findUser.errors)).toBe(true);
    expect(getUser.errors).toEqual({});
    for (const errorType of ['', 'a:b', 'response', 'redirect', 'eventNotFound', 'badProtocol']) {
      expect(() =>
        defineEvent({ name: 'x', payload: z.null(), response: z.null(), errors: { [errorType]: z.object({}) } }),
      ).toThrow(/cannot declare the error type/);
    }
  });

  it('makes an EventError of a declared type that remembers its contract, code NOT_FOUND by default', () => {
    const error = findUser.error('notFound', { userId: '42' });
    expect(isEventError(error)).toBe(true);
    expect(error).toMatchObject({ errorType: 'notFound', code: 'NOT_FOUND', parameters: { userId: '42' } });
    expect(error.contract).toBe(findUser);
    expect(error.toEventMessage()).toEqual({ code: 'NOT_FOUND', parameters: { userId: '42' } });
    // The contract stays out of what loggers copy from the error.
    expect(Object.keys(error)).not.toContain('contract');
  });

  it('takes a code and a cause', () => {
    const cause = new Error('quota service said no');
    const error = findUser.error(
      'quotaExceeded',
      { limit: 10, resetAt: '2027-01-01T00:00:00Z' },
      { code: 'DAILY_QUOTA', cause },
    );
    expect(error).toMatchObject({ errorType: 'quotaExceeded', code: 'DAILY_QUOTA', cause });
  });

  it("derives the JSON Schema of each error's parameters, once per errors object", () => {
    const schemas = contractJsonSchemas(findUser).errors;
    expect(Object.keys(schemas)).toEqual(['notFound', 'quotaExceeded']);
    expect(schemas['notFound']?.parameters).toMatchObject({
      type: 'object',
      required: ['userId'],
      properties: { userId: { type: 'string' } },
    });
    expect(schemas['quotaExceeded']?.parameters).toMatchObject({ required: ['limit', 'resetAt'] });
    expect(errorJsonSchemas(findUser.errors)).toBe(schemas);
    expect(contractJsonSchemas(getUser).errors).toEqual({});
  });
});
