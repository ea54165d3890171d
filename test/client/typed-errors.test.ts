import { EventClient, type TypedSendResult } from '@events-protocol/client';
import {
  defineEvent,
  EventBuilder,
  EventError,
  EventErrorType,
  readJson,
  type RequestEvent,
} from '@events-protocol/core';
import {
  createEventLogger,
  createEventServer,
  EventProcessor,
  contextMiddleware,
  EventRegistry,
  type EventMiddleware,
} from '@events-protocol/server';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { listen, readBody, sendJson, type RunningServer } from '../support/http-server.js';

const getUser = defineEvent({
  name: 'user:get',
  payload: z.object({ userId: z.string() }),
  response: z.object({ userId: z.string(), name: z.string() }),
  errors: {
    notFound: z.object({ userId: z.string() }),
    quotaExceeded: z.object({ limit: z.number().int(), resetAt: z.iso.datetime() }),
  },
});

/** A contract that declares no errors: its handler's EventErrors are answered as thrown. */
const getLegacyUser = defineEvent({
  name: 'legacy:user:get',
  payload: z.object({ userId: z.string() }),
  response: z.null(),
});

function registry(refuseBlockedInRegistry: boolean): EventRegistry {
  const base = new EventRegistry();
  return (refuseBlockedInRegistry ? base.use(refuseBlockedInContext) : base)
    .on(getUser, async ({ payload: { userId } }) => {
      switch (userId) {
        case 'ada':
          return { userId, name: 'Ada Lovelace' };
        case 'missing':
          throw getUser.error('notFound', { userId });
        case 'missing-later':
          await sleep(5);
          throw getUser.error('notFound', { userId });
        case 'busy':
          throw getUser.error(
            'quotaExceeded',
            { limit: 100, resetAt: '2027-01-01T00:00:00Z' },
            { code: 'DAILY_QUOTA' },
          );
        case 'hand-made':
          throw new EventError(EventErrorType.NotFound, { code: 'USER_NOT_FOUND', parameters: { userId } });
        case 'not-yours':
          throw new EventError(EventErrorType.Forbidden, { code: 'NOT_YOURS', parameters: { owner: 'grace' } });
        case 'bad-parameters':
          throw getUser.error('notFound', { userId: 42 } as unknown as { userId: string });
        default:
          throw new Error(`no user ${userId}`);
      }
    })
    .on(getLegacyUser, () => {
      throw new EventError(EventErrorType.Forbidden, { code: 'NOT_YOURS' });
    });
}

/** Middleware that refuses events marked `metadata.blocked`: its errors are not the handler's. */
const refuseBlocked: EventMiddleware = (event, _context, next) => {
  if (event.metadata['blocked'] === true) {
    throw new EventError(EventErrorType.Unauthorized, { code: 'BLOCKED' });
  }
  return next();
};

/** The same, as registry middleware (`registry.use`), around the handlers registered after it. */
const refuseBlockedInContext = contextMiddleware((event, _context, next) => {
  if (event.metadata['blocked'] === true) {
    throw new EventError(EventErrorType.Unauthorized, { code: 'BLOCKED' });
  }
  return next();
});

/** A pino destination that keeps every line, parsed. */
function capture(): { stream: Writable; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.length > 0) lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  return { stream, lines };
}

describe.each([
  ['without middleware', [] as EventMiddleware[], false],
  ['with processor middleware', [refuseBlocked], false],
  ['with registry middleware', [] as EventMiddleware[], true],
])('typed errors end to end, a server %s', (_label, middleware, inRegistry) => {
  let server: RunningServer;
  let client: EventClient;
  const log = capture();

  beforeAll(async () => {
    const logger = createEventLogger({ level: 'info' }, log.stream);
    const processor = new EventProcessor(registry(inRegistry), { logger, middleware });
    server = await listen(createEventServer(processor, { discovery: true }));
    client = new EventClient({ url: `${server.origin}/events` });
  });
  afterAll(async () => {
    await client.close();
    await server.close();
  });

  it('delivers a declared error typed, its code NOT_FOUND by default', async () => {
    for (const userId of ['missing', 'missing-later']) {
      const result = await client.send(getUser, { userId });
      expect(result).toMatchObject({
        kind: 'error',
        declared: true,
        errorType: 'notFound',
        code: 'NOT_FOUND',
        parameters: { userId },
        event: { name: 'user:get:notFound', payload: { code: 'NOT_FOUND', parameters: { userId } } },
      });
      expect(
        result.kind === 'error' && result.declared && result.errorType === 'notFound' && result.parameters.userId,
      ).toBe(userId);
    }
  });

  it('keeps a chosen code, and judges a hand-made EventError of a declared type alike', async () => {
    expect(await client.send(getUser, { userId: 'busy' })).toMatchObject({
      declared: true,
      errorType: 'quotaExceeded',
      code: 'DAILY_QUOTA',
      parameters: { limit: 100, resetAt: '2027-01-01T00:00:00Z' },
    });
    expect(await client.send(getUser, { userId: 'hand-made' })).toMatchObject({
      declared: true,
      errorType: 'notFound',
      code: 'USER_NOT_FOUND',
      parameters: { userId: 'hand-made' },
    });
  });

  it('answers an undeclared error type as <name>:error UNDECLARED_ERROR, and logs the type it tried', async () => {
    const result = await client.send(getUser, { userId: 'not-yours' });
    expect(result).toMatchObject({
      kind: 'error',
      declared: false,
      errorType: 'error',
      event: { name: 'user:get:error', payload: { code: 'UNDECLARED_ERROR', parameters: {} } },
    });
    expect(JSON.stringify(result.kind === 'error' && result.event)).not.toContain('grace');
    expect(log.lines).toContainEqual(
      expect.objectContaining({
        level: 50,
        msg: 'handler threw an error type its contract does not declare',
        event: 'user:get',
        errorType: 'forbidden',
        code: 'NOT_YOURS',
        flowId: result.request.flowId,
      }),
    );
  });

  it('answers a declared error whose parameters fail their schema as INVALID_RESPONSE, sending none', async () => {
    const result = await client.send(getUser, { userId: 'bad-parameters' });
    expect(result).toMatchObject({
      kind: 'error',
      declared: false,
      event: { name: 'user:get:error', payload: { code: 'INVALID_RESPONSE', parameters: {} } },
    });
    expect(log.lines).toContainEqual(
      expect.objectContaining({ errorType: 'notFound', madeBy: 'user:get v1', flowId: result.request.flowId }),
    );
  });

  it('leaves other answers alone: success, unexpected errors, badRequest, and contracts without errors', async () => {
    expect(await client.send(getUser, { userId: 'ada' })).toMatchObject({
      kind: 'success',
      payload: { name: 'Ada Lovelace' },
    });
    expect(await client.send(getUser, { userId: 'grace' })).toMatchObject({
      declared: false,
      event: { name: 'user:get:error', payload: { code: 'UNHANDLED_ERROR' } },
    });
    expect(await client.sendEvent({ name: 'user:get', payload: { userId: 7 } })).toMatchObject({
      errorType: 'badRequest',
      event: { payload: { code: 'INVALID_PAYLOAD' } },
    });
    expect(await client.send(getLegacyUser, { userId: 'ada' })).toMatchObject({
      declared: false,
      errorType: 'forbidden',
      event: { name: 'legacy:user:get:forbidden', payload: { code: 'NOT_YOURS' } },
    });
  });

  it.runIf(middleware.length > 0 || inRegistry)(
    'answers what middleware throws as thrown, declared or not',
    async () => {
      const result = await client.send(getUser, { userId: 'ada' }, { metadata: { blocked: true } });
      expect(result).toMatchObject({
        kind: 'error',
        declared: false,
        errorType: 'unauthorized',
        event: { name: 'user:get:unauthorized', payload: { code: 'BLOCKED' } },
      });
    },
  );

  it("shows each event's errors with the JSON Schema of their parameters in discovery over HTTP", async () => {
    const response = await request(`${server.origin}/events`);
    expect(response.statusCode).toBe(200);
    const document = (await response.body.json()) as {
      events: { name: string; errors: Record<string, { parameters: Record<string, unknown> }> }[];
    };
    const described = document.events.find((event) => event.name === 'user:get');
    expect(Object.keys(described?.errors ?? {})).toEqual(['notFound', 'quotaExceeded']);
    expect(described?.errors['notFound']?.parameters).toMatchObject({
      type: 'object',
      properties: { userId: { type: 'string' } },
      required: ['userId'],
    });
    expect(described?.errors['quotaExceeded']?.parameters).toMatchObject({
      properties: { limit: { type: 'integer' }, resetAt: { type: 'string', format: 'date-time' } },
      required: ['limit', 'resetAt'],
    });
    expect(document.events.find((event) => event.name === 'legacy:user:get')?.errors).toEqual({});
  });
});

describe('typed errors from a server that breaks the contract', () => {
  it('reads a declared type whose parameters fail the schema as undeclared, keeping the event', async () => {
    await using server = await listen((incoming, response) => {
      void readBody(incoming).then((body) => {
        const sent = readJson(body) as RequestEvent;
        const answer = EventBuilder.errorFor(sent, EventErrorType.NotFound, {
          code: 'NOT_FOUND',
          parameters: { userId: 7 },
        });
        sendJson(response, 200, answer);
      });
    });
    const client = new EventClient({ url: `${server.origin}/events` });
    try {
      const result: TypedSendResult<unknown, typeof getUser.errors> = await client.send(getUser, { userId: 'ada' });
      expect(result).toMatchObject({
        kind: 'error',
        declared: false,
        errorType: 'notFound',
        event: { name: 'user:get:notFound', payload: { parameters: { userId: 7 } } },
      });
    } finally {
      await client.close();
    }
  });
});
