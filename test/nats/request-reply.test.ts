import { EventClient } from '@events-protocol/client';
import { EventError, EventErrorType } from '@events-protocol/core';
import { NatsTransport, serveEventsOverNats, type NatsEventServer } from '@events-protocol/nats';
import { EventProcessor, EventRegistry } from '@events-protocol/server';
import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNatsServer, type NatsServer } from '../support/nats-server.js';

let server: NatsServer;
let serving: NatsConnection;
let calling: NatsConnection;
let events: NatsEventServer;
const seen: { subject: string | undefined; kind: string; deadline: number; header: string | undefined }[] = [];

function processor(served = { count: 0 }): EventProcessor {
  const registry = new EventRegistry()
    .register({
      name: 'user:get',
      handler: (event, context) => {
        served.count += 1;
        seen.push({
          subject: context.transport.subject,
          kind: context.transport.kind,
          deadline: context.deadline,
          header: context.transport.headers.get('X-Tenant'),
        });
        const { userId } = event.payload as { userId: string };
        if (userId === 'missing') {
          throw new EventError(EventErrorType.NotFound, { code: 'USER_NOT_FOUND', parameters: { userId } });
        }
        return { userId, name: 'Ada Lovelace' };
      },
    })
    .register({ name: 'hang', timeoutMs: 30_000, handler: () => new Promise<never>(() => undefined) })
    .register({
      name: 'slow',
      handler: async (event) => {
        await new Promise((resolve) => setTimeout(resolve, 300));
        return event.payload;
      },
    });
  return new EventProcessor(registry);
}

beforeAll(async () => {
  server = await startNatsServer();
  serving = await connect({ servers: server.url });
  calling = await connect({ servers: server.url });
  events = serveEventsOverNats(processor(), { connection: serving, subjectPrefix: 'svc' });
  await serving.flush();
});

afterAll(async () => {
  await events.drain();
  await serving.close();
  await calling.close();
  await server.stop();
});

function client(options: { subjectPrefix?: string; headers?: Record<string, string> } = {}): EventClient {
  return new EventClient({
    transport: new NatsTransport({ connection: calling, subjectPrefix: options.subjectPrefix ?? 'svc' }),
    ...(options.headers === undefined ? {} : { headers: options.headers }),
  });
}

describe('the events protocol over NATS request-reply', () => {
  it('answers a success on the event subject, with the transport seen by the handler', async () => {
    seen.length = 0;
    const result = await client({ headers: { 'x-tenant': 'acme' } }).sendEvent({
      name: 'user:get',
      payload: { userId: '42' },
    });
    expect(result.kind).toBe('success');
    if (result.kind !== 'success') return;
    expect(result.event.name).toBe('user:get:response');
    expect(result.event.payload).toEqual({ userId: '42', name: 'Ada Lovelace' });
    expect(seen[0]).toMatchObject({ subject: 'svc.user:get', kind: 'nats', header: 'acme' });
  });

  it('answers a typed error as an error outcome', async () => {
    const result = await client().sendEvent({ name: 'user:get', payload: { userId: 'missing' } });
    expect(result).toMatchObject({ kind: 'error', errorType: 'notFound' });
    if (result.kind !== 'error') return;
    expect(result.event.payload).toEqual({ code: 'USER_NOT_FOUND', parameters: { userId: 'missing' } });
  });

  it('answers eventNotFound and badProtocol like over HTTP', async () => {
    const unknown = await client().sendEvent({ name: 'nobody:serves', payload: null });
    expect(unknown).toMatchObject({ kind: 'error', errorType: 'eventNotFound' });
    const reply = await calling.request('svc', 'not json', { timeout: 5000 });
    expect(reply.json()).toMatchObject({ name: 'badProtocol', payload: { code: 'INVALID_COMMUNICATION_PROTOCOL' } });
  });

  it('passes the caller’s remaining time as the handler’s deadline', async () => {
    seen.length = 0;
    const before = Date.now();
    await client().sendEvent({ name: 'user:get', payload: { userId: '1' }, timeout: 3000 });
    const deadline = seen[0]?.deadline ?? 0;
    expect(deadline).toBeGreaterThan(before);
    expect(deadline).toBeLessThanOrEqual(Date.now() + 3000);
  });

  it('times out within the call’s budget when the handler does not answer', async () => {
    const result = await client().sendEvent({ name: 'hang', payload: null, timeout: 400 });
    expect(result).toMatchObject({ kind: 'timeout', timeoutMs: 400 });
  });

  it('is a failed dependency (unreachable) when nothing listens on the subject', async () => {
    const result = await client({ subjectPrefix: 'nobody' }).sendEvent({ name: 'user:get', payload: { userId: '1' } });
    expect(result).toMatchObject({ kind: 'failedDependency', reason: 'unreachable' });
  });

  it('is a failed dependency (invalidResponse) when the answer is not a response event', async () => {
    const rogue = serving.subscribe('rogue.>', {
      callback: (_error, message) => {
        message.respond('something');
      },
    });
    await serving.flush();
    try {
      const result = await client({ subjectPrefix: 'rogue' }).sendEvent({ name: 'user:get', payload: null });
      expect(result).toMatchObject({ kind: 'failedDependency', reason: 'invalidResponse' });
    } finally {
      rogue.unsubscribe();
    }
  });

  it('shares requests between instances of the queue group and drains without losing one', async () => {
    const second = await connect({ servers: server.url });
    const servedByOther = { count: 0 };
    const other = serveEventsOverNats(processor(servedByOther), { connection: second, subjectPrefix: 'svc' });
    await second.flush();
    const caller = client();
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, index) => caller.sendEvent({ name: 'user:get', payload: { userId: `${index}` } })),
    );
    const draining = other.drain();
    const after = await caller.sendEvent({ name: 'user:get', payload: { userId: 'after' } });
    await draining;
    await second.close();
    expect(results.every((result) => result.kind === 'success')).toBe(true);
    // Both instances took some of the 40 (one taking all would happen once in 2^39 runs).
    expect(servedByOther.count).toBeGreaterThan(0);
    expect(servedByOther.count).toBeLessThan(40);
    expect(after.kind).toBe('success');
    expect(other.inFlight).toBe(0);
  });

  it('drains gracefully: a request in flight is answered, and nothing is taken after', async () => {
    const own = await connect({ servers: server.url });
    const draining = serveEventsOverNats(processor(), { connection: own, subjectPrefix: 'drain', queue: 'drain' });
    await own.flush();
    const caller = client({ subjectPrefix: 'drain' });
    const inFlight = caller.sendEvent({ name: 'slow', payload: { n: 1 } });
    while (draining.inFlight === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await draining.drain();
    // Resolved only once the request taken was answered.
    expect(draining.inFlight).toBe(0);
    expect(await inFlight).toMatchObject({ kind: 'success', event: { payload: { n: 1 } } });
    // Drained and alone on its prefix: nothing answers any more.
    expect(await caller.sendEvent({ name: 'slow', payload: null })).toMatchObject({
      kind: 'failedDependency',
      reason: 'unreachable',
    });
    await own.close();
  });

  it('serves only the names it is given, so services can share a prefix', async () => {
    const own = await connect({ servers: server.url });
    const only = serveEventsOverNats(processor(), {
      connection: own,
      subjectPrefix: 'shared',
      eventNames: ['user:get'],
    });
    await own.flush();
    try {
      expect(only.subjects).toEqual(['shared.user:get']);
      const caller = client({ subjectPrefix: 'shared' });
      expect((await caller.sendEvent({ name: 'user:get', payload: { userId: '1' } })).kind).toBe('success');
      expect(await caller.sendEvent({ name: 'slow', payload: null })).toMatchObject({
        kind: 'failedDependency',
        reason: 'unreachable',
      });
    } finally {
      await only.drain();
      await own.close();
    }
  });
});
