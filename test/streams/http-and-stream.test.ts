import { EventClient } from '@events-protocol/client';
import { defineEvent } from '@events-protocol/core';
import { createEventServer, EventProcessor, EventRegistry } from '@events-protocol/server';
import { consume } from '@events-protocol/server/streams';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { listen } from '../support/http-server.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { startRedisStream } from './redis-stream-harness.js';
import { publishedEvent, waitFor } from './stream-harness.js';

const placeOrder = defineEvent({
  name: 'order:place',
  version: 1,
  payload: z.object({ item: z.string() }),
  response: z.object({ accepted: z.string() }),
});

describe('one handler serves HTTP calls and stream events', () => {
  let server: RedisServer | undefined;
  afterAll(() => server?.stop());

  it('runs the handler registered once for a call to POST /events and for a message of a Redis stream', async () => {
    server = await startRedisServer();
    await using stream = await startRedisStream(server.url);
    const seen: { item: string; transport: string; subject: string | undefined }[] = [];
    const registry = new EventRegistry().on(placeOrder, (event, context) => {
      seen.push({ item: event.payload.item, transport: context.transport.kind, subject: context.transport.subject });
      return { accepted: event.payload.item };
    });
    const processor = new EventProcessor(registry);
    await using http = await listen(createEventServer(processor));
    const consumer = consume(processor, stream.source());

    const client = new EventClient({ url: `${http.origin}/events` });
    const answer = await client.sendEvent({ name: 'order:place', payload: { item: 'by call' } });
    expect(answer).toMatchObject({ kind: 'success', event: { payload: { accepted: 'by call' } } });
    await stream.publish(publishedEvent('order:place', { item: 'by stream' }));
    await waitFor('the stream event handled', () => seen.length === 2);
    await waitFor('the stream event acknowledged', async () => (await stream.unsettled()) === 0);
    await consumer.close();
    await client.close();

    expect(seen).toEqual([
      { item: 'by call', transport: 'http', subject: undefined },
      { item: 'by stream', transport: 'stream', subject: expect.stringMatching(/^events:test-/) as unknown },
    ]);
  });
});
