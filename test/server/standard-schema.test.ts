import { EventClient } from '@events-protocol/client';
import { defineEvent, validateSchema, type ContractSchema, type StandardSchemaV1 } from '@events-protocol/core';
import { createEventServer, EventProcessor, EventRegistry } from '@events-protocol/server';
import { type } from 'arktype';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import * as zm from 'zod/mini';
import { listen } from '../support/http-server.js';

// The same contract written with three validators other than zod classic: every one goes through
// a real node:http server and a real EventClient.
interface Schemas {
  payload: ContractSchema<{ userId: string }>;
  response: ContractSchema<{ userId: string; name: string }>;
  notFound: ContractSchema<{ userId: string }>;
}

const validators: Record<string, { schemas: Schemas; offersJsonSchema: boolean }> = {
  'zod/mini': {
    schemas: {
      payload: zm.object({ userId: zm.string().check(zm.minLength(1)) }),
      response: zm.object({ userId: zm.string(), name: zm.string() }),
      notFound: zm.object({ userId: zm.string() }),
    },
    offersJsonSchema: true,
  },
  valibot: {
    schemas: {
      payload: v.object({ userId: v.pipe(v.string(), v.minLength(1)) }),
      response: v.object({ userId: v.string(), name: v.string() }),
      notFound: v.object({ userId: v.string() }),
    },
    offersJsonSchema: false,
  },
  arktype: {
    schemas: {
      payload: type({ userId: 'string > 0' }),
      response: type({ userId: 'string', name: 'string' }),
      notFound: type({ userId: 'string' }),
    },
    offersJsonSchema: true,
  },
};

function contractOf(schemas: Schemas) {
  return defineEvent({
    name: 'user:get',
    payload: schemas.payload,
    response: schemas.response,
    errors: { notFound: schemas.notFound },
  });
}

async function startServer(contract: ReturnType<typeof contractOf>, handle: (payload: { userId: string }) => unknown) {
  const registry = new EventRegistry().on(contract, (event) => handle(event.payload) as never);
  return listen(createEventServer(new EventProcessor(registry), { discovery: true }));
}

describe.each(Object.entries(validators))('a contract built with %s', (_name, { schemas, offersJsonSchema }) => {
  const getUser = contractOf(schemas);
  const handle = (payload: { userId: string }): unknown => {
    if (payload.userId === 'missing') throw getUser.error('notFound', { userId: payload.userId });
    if (payload.userId === 'broken') return { userId: payload.userId, name: 42 };
    return { userId: payload.userId, name: 'Ada' };
  };

  it('answers a valid call with its typed success, and a declared error with its parameters', async () => {
    await using server = await startServer(getUser, handle);
    const client = new EventClient({ url: `${server.origin}/events` });
    const ok = await client.send(getUser, { userId: '42' });
    expect(ok).toMatchObject({ kind: 'success', payload: { userId: '42', name: 'Ada' } });
    const missing = await client.send(getUser, { userId: 'missing' });
    expect(missing).toMatchObject({
      kind: 'error',
      declared: true,
      errorType: 'notFound',
      code: 'NOT_FOUND',
      parameters: { userId: 'missing' },
    });
    await client.close();
  });

  it('answers an invalid payload with badRequest listing the issues (path, message, code)', async () => {
    await using server = await startServer(getUser, handle);
    const client = new EventClient({ url: `${server.origin}/events` });
    const result = await client.sendEvent({ name: 'user:get', payload: { userId: 7 } });
    expect(result).toMatchObject({ kind: 'error', errorType: 'badRequest' });
    if (result.kind !== 'error') throw new Error('expected an error');
    const payload = result.event.payload as { code: string; parameters: { issues: unknown[] } };
    expect(payload.code).toBe('INVALID_PAYLOAD');
    expect(payload.parameters.issues).toEqual([
      { path: ['userId'], message: expect.any(String) as string, code: expect.any(String) as string },
    ]);
    // The client refuses the same payload before sending it.
    await expect(client.send(getUser, { userId: '' })).rejects.toMatchObject({ code: 'INVALID_PAYLOAD' });
    await client.close();
  });

  it('answers a response that fails its schema with INVALID_RESPONSE', async () => {
    await using server = await startServer(getUser, handle);
    const client = new EventClient({ url: `${server.origin}/events` });
    const result = await client.sendEvent({ name: 'user:get', payload: { userId: 'broken' } });
    expect(result).toMatchObject({
      kind: 'error',
      errorType: 'error',
      event: { payload: { code: 'INVALID_RESPONSE' } },
    });
    await client.close();
  });

  it('lists the JSON Schema in discovery where the validator offers it, and says so where not', async () => {
    await using server = await startServer(getUser, handle);
    const answer = await fetch(`${server.origin}/events`);
    const document = (await answer.json()) as {
      events: { payload: Record<string, unknown>; errors: Record<string, { parameters: unknown }> }[];
    };
    const [described] = document.events;
    if (offersJsonSchema) {
      expect(described?.payload).toMatchObject({ type: 'object', required: ['userId'] });
      expect(described?.errors['notFound']?.parameters).toMatchObject({ type: 'object', required: ['userId'] });
    } else {
      expect(described?.payload).toEqual({ $comment: 'no JSON Schema: the valibot validator offers none' });
    }
  });
});

describe('an asynchronous Standard Schema', () => {
  // A hand-written validator that answers later, as one that looks something up would.
  const positive: StandardSchemaV1<number, number> = {
    '~standard': {
      version: 1,
      vendor: 'hand-written',
      validate: async (value) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        return typeof value === 'number' && value > 0 ? { value } : { issues: [{ message: 'must be positive' }] };
      },
    },
  };
  const double = defineEvent({ name: 'number:double', payload: positive, response: positive });

  it('is awaited for the payload and the response, and its issues get the generic code', async () => {
    const registry = new EventRegistry().on(double, (event) => (event.payload === 13 ? -1 : event.payload * 2));
    await using server = await listen(createEventServer(new EventProcessor(registry)));
    const client = new EventClient({ url: `${server.origin}/events` });
    expect(await client.send(double, 21)).toMatchObject({ kind: 'success', payload: 42 });
    const refused = await client.sendEvent({ name: 'number:double', payload: -3 });
    expect(refused).toMatchObject({
      kind: 'error',
      errorType: 'badRequest',
      event: { payload: { parameters: { issues: [{ path: [], message: 'must be positive', code: 'invalid' }] } } },
    });
    const broken = await client.sendEvent({ name: 'number:double', payload: 13 });
    expect(broken).toMatchObject({ kind: 'error', event: { payload: { code: 'INVALID_RESPONSE' } } });
    await client.close();
  });
});

describe('validateSchema across validators', () => {
  it('lists the same issue shape for each, with the validator code or the generic one', () => {
    const schemas = [
      zm.object({ user: zm.object({ id: zm.string() }) }),
      v.object({ user: v.object({ id: v.string() }) }),
      type({ user: { id: 'string' } }),
    ];
    const codes = schemas.map((schema) => {
      const checked = validateSchema(schema, { user: { id: 1 } });
      if (checked instanceof Promise || checked.ok) throw new Error('expected synchronous issues');
      expect(checked.issues).toEqual([
        { path: ['user', 'id'], message: expect.any(String) as string, code: expect.any(String) as string },
      ]);
      return checked.issues[0]?.code;
    });
    // zod and arktype name their codes; valibot gives none, so the generic one stands in.
    expect(codes).toEqual(['invalid_type', 'invalid', 'domain']);
  });
});
