import { EventClient } from '@events-protocol/client';
import { defineEvent, EventError, EventErrorType } from '@events-protocol/core';
import {
  createEventServer,
  describeEvents,
  EventProcessor,
  EventRegistry,
  isServerError,
} from '@events-protocol/server';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { listen } from '../support/http-server.js';

const getUserV1 = defineEvent({
  name: 'user:get',
  version: 1,
  payload: z.object({ id: z.string() }),
  response: z.object({ id: z.string(), name: z.string() }),
  deprecated: { sunset: '2027-06-30', note: 'use version 3: it splits the name' },
});
const getUserV2 = defineEvent({
  name: 'user:get',
  version: 2,
  payload: z.object({ userId: z.string() }),
  response: z.object({ userId: z.string(), fullName: z.string() }),
  deprecated: { sunset: '2027-12-31' },
});
const getUserV3 = defineEvent({
  name: 'user:get',
  version: 3,
  payload: z.object({ userId: z.string(), locale: z.string().default('en') }),
  response: z.object({ userId: z.string(), givenName: z.string(), familyName: z.string() }),
});

function registryWithOneHandler(seen: unknown[]) {
  return new EventRegistry()
    .on(getUserV3, (event) => {
      seen.push(event.payload);
      if (event.payload.userId === 'gone') throw new EventError(EventErrorType.NotFound, { code: 'USER_NOT_FOUND' });
      return { userId: event.payload.userId, givenName: 'Ada', familyName: 'Lovelace' };
    })
    .upcast(getUserV2, getUserV3, {
      payload: (v2) => ({ userId: v2.userId }),
      response: (v3) => ({ userId: v3.userId, fullName: `${v3.givenName} ${v3.familyName}` }),
    })
    .upcast(getUserV1, getUserV2, {
      payload: (v1) => ({ userId: v1.id }),
      response: (v2) => ({ id: v2.userId, name: v2.fullName }),
    });
}

describe('versioned events', () => {
  it('keeps old callers working through upcasters, with one handler for the newest version', async () => {
    const seen: unknown[] = [];
    await using server = await listen(createEventServer(new EventProcessor(registryWithOneHandler(seen))));
    const warnings: unknown[] = [];
    const logger = { debug: () => undefined, warn: (object: object) => warnings.push(object) };
    const client = new EventClient({ url: `${server.origin}/events`, logger });

    const v1 = await client.send(getUserV1, { id: 'u-1' });
    expect(v1).toMatchObject({
      kind: 'success',
      payload: { id: 'u-1', name: 'Ada Lovelace' },
      event: {
        name: 'user:get:response',
        version: 1,
        metadata: {
          deprecation: { deprecated: true, sunset: '2027-06-30', note: 'use version 3: it splits the name' },
        },
      },
    });
    const v3 = await client.send(getUserV3, { userId: 'u-3' });
    expect(v3).toMatchObject({ kind: 'success', payload: { givenName: 'Ada' }, event: { version: 3, metadata: {} } });
    expect(v3.kind === 'success' && v3.event.metadata['deprecation']).toBeUndefined();
    // The handler saw v3 payloads only, defaults applied.
    expect(seen).toEqual([
      { userId: 'u-1', locale: 'en' },
      { userId: 'u-3', locale: 'en' },
    ]);

    // Errors keep the caller's version; bad v1 payloads are judged by the v1 contract.
    expect(await client.sendEvent({ name: 'user:get', version: 1, payload: { id: 'gone' } })).toMatchObject({
      kind: 'error',
      errorType: 'notFound',
      event: { version: 1, metadata: { deprecation: { sunset: '2027-06-30' } } },
    });
    expect(await client.sendEvent({ name: 'user:get', version: 1, payload: { userId: 'u-1' } })).toMatchObject({
      kind: 'error',
      errorType: 'badRequest',
    });

    // The client warned once per deprecated event and version, however often it was called.
    expect(warnings).toEqual([
      { event: 'user:get', version: 1, sunset: '2027-06-30', note: 'use version 3: it splits the name' },
    ]);
    await client.sendEvent({ name: 'user:get', version: 2, payload: { userId: 'u-2' } });
    expect(warnings).toHaveLength(2);
    await client.close();
  });

  it('shows deprecations in discovery', () => {
    const document = describeEvents(registryWithOneHandler([]));
    expect(document.events.map((event) => [event.version, event.deprecated?.sunset])).toEqual([
      [1, '2027-06-30'],
      [2, '2027-12-31'],
      [3, undefined],
    ]);
  });

  it('refuses upcasts that do not go to a newer version of the same event, and bad sunsets', () => {
    const registry = new EventRegistry();
    const refused = (() => {
      try {
        registry.upcast(getUserV3, getUserV1, { payload: () => ({ id: 'x' }) });
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(isServerError(refused) && refused.code).toBe('INVALID_HANDLER');
    expect(() =>
      defineEvent({ name: 'x', payload: z.null(), response: z.null(), deprecated: { sunset: 'next spring' } }),
    ).toThrow(/ISO 8601/);
  });
});
