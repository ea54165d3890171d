import { EventError, EventErrorType } from '@events-protocol/core';
import { createPublishedEvent, EventsProtocolSink, isPublishError } from '@events-protocol/publish';
import { createEventServer, EventProcessor, EventRegistry } from '@events-protocol/server';
import type { RequestEvent } from '@events-protocol/core';
import { describe, expect, it } from 'vitest';
import { listen } from '../support/http-server.js';

describe('EventsProtocolSink', () => {
  it('sends each event to an events server; an error event is a rejection', async () => {
    const received: RequestEvent[] = [];
    const registry = new EventRegistry()
      .register({ name: 'order:placed', handler: (event) => void received.push(event) })
      .register({
        name: 'order:refused',
        handler: () => {
          throw new EventError(EventErrorType.Forbidden, { code: 'NOT_ALLOWED' });
        },
      });
    await using server = await listen(createEventServer(new EventProcessor(registry)));
    const sink = new EventsProtocolSink({ url: `${server.origin}/events`, timeout: 2000, includeIdentity: true });
    const event = createPublishedEvent({
      name: 'order:placed',
      payload: { orderId: 'o-1' },
      identity: { user: 'ada' },
    });
    await sink.publish(event, { topic: 'orders', attributes: { region: 'eu' } });
    expect(received[0]).toMatchObject({
      id: event.id,
      flowId: event.flowId,
      payload: { orderId: 'o-1' },
      identity: { user: 'ada' },
      metadata: { createdAt: event.createdAt, topic: 'orders', attributes: { region: 'eu' } },
    });
    const refused: unknown = await sink
      .publish(createPublishedEvent({ name: 'order:refused', payload: null }))
      .catch((caught: unknown) => caught);
    expect(isPublishError(refused) && refused.code).toBe('REJECTED');
    expect(await sink.healthCheck()).toBe(true);
    await sink.close();
  });

  it('rejects as unreachable when the server is not there', async () => {
    const closed = await listen(() => undefined);
    await closed.close();
    const sink = new EventsProtocolSink({ url: `${closed.origin}/events` });
    await expect(sink.publish(createPublishedEvent({ name: 'x', payload: null }))).rejects.toMatchObject({
      code: 'UNREACHABLE',
    });
    expect(await sink.healthCheck()).toBe(false);
    await sink.close();
  });
});
