import { Outbox } from '@events-protocol/outbox';
import { SqliteOutboxStore } from '@events-protocol/outbox/sqlite';
import { createPublishedEvent } from '@events-protocol/publish';
import { undeliveredRouter } from '@events-protocol/topics/express';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { listen } from '../support/http-server.js';

const token = 'operator-token';

async function operatorApi() {
  const store = new SqliteOutboxStore({ filename: ':memory:' });
  const outbox = new Outbox({ store });
  const ids: string[] = [];
  for (const [index, topic] of ['orders', 'orders', 'billing'].entries()) {
    const event = createPublishedEvent({ name: 'order:placed', payload: { index, cents: 2n ** 63n } });
    ids.push(event.id);
    await outbox.storeUndelivered(event, Object.assign(new Error('receiver answered 503'), { code: 'REJECTED' }), {
      topic,
      attributes: { region: 'eu' },
    });
  }
  const app = express();
  app.use(undeliveredRouter({ outbox, authorize: (request) => request.get('authorization') === `Bearer ${token}` }));
  const running = await listen(app.listen(0, '127.0.0.1'));
  const call = async (method: string, path: string, body?: unknown, auth = `Bearer ${token}`) => {
    const response = await fetch(`${running.origin}${path}`, {
      method,
      headers: { authorization: auth, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    return {
      status: response.status,
      text,
      body: text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>),
    };
  };
  return {
    outbox,
    ids,
    call,
    [Symbol.asyncDispose]: async () => {
      await running.close();
      await store.close();
    },
  };
}

describe('undeliveredRouter', () => {
  it('lists, pages and filters undelivered events', async () => {
    await using api = await operatorApi();
    const all = await api.call('GET', '/outbox/undelivered');
    expect(all.status).toBe(200);
    expect((all.body?.events as { id: string }[]).map((event) => event.id)).toEqual(api.ids);
    expect(all.text).toContain('"cents":9223372036854775808');
    const page = await api.call('GET', '/outbox/undelivered?limit=2');
    expect((page.body?.events as unknown[]).length).toBe(2);
    const next = await api.call('GET', `/outbox/undelivered?limit=2&cursor=${String(page.body?.nextCursor)}`);
    expect(next.body).toMatchObject({ events: [{ id: api.ids[2] }], nextCursor: null });
    const billing = await api.call('GET', '/outbox/undelivered?topic=billing');
    expect((billing.body?.events as { id: string }[]).map((event) => event.id)).toEqual([api.ids[2]]);
    const future = await api.call('GET', `/outbox/undelivered?since=${new Date(Date.now() + 60_000).toISOString()}`);
    expect(future.body?.events).toEqual([]);
    expect(await api.call('GET', '/outbox/undelivered?since=yesterday')).toMatchObject({
      status: 400,
      body: { code: 'BAD_REQUEST' },
    });
  });

  it('shows one event with its payload, attributes and every error', async () => {
    await using api = await operatorApi();
    const one = await api.call('GET', `/outbox/undelivered/${api.ids[0]}`);
    expect(one.body).toMatchObject({
      id: api.ids[0],
      topic: 'orders',
      attributes: { region: 'eu' },
      attempts: 1,
      history: [{ attempt: 1, outcome: 'failed', error: { message: 'receiver answered 503', code: 'REJECTED' } }],
      event: { name: 'order:placed', payload: { index: 0 } },
    });
    expect(await api.call('GET', '/outbox/undelivered/nope')).toMatchObject({
      status: 404,
      body: { code: 'NOT_FOUND' },
    });
  });

  it('redelivers and deletes, one or by selection', async () => {
    await using api = await operatorApi();
    expect(await api.call('POST', `/outbox/undelivered/${api.ids[0]}/redeliver`)).toMatchObject({
      status: 200,
      body: { count: 1 },
    });
    expect(await api.outbox.pendingCount()).toBe(1);
    expect((await api.call('POST', `/outbox/undelivered/${api.ids[0]}/redeliver`)).status).toBe(404);
    expect((await api.call('DELETE', `/outbox/undelivered/${api.ids[1]}`)).status).toBe(204);
    expect((await api.call('DELETE', `/outbox/undelivered/${api.ids[1]}`)).status).toBe(404);
    expect(await api.call('POST', '/outbox/undelivered/delete', {})).toMatchObject({
      status: 400,
      body: { code: 'BAD_REQUEST' },
    });
    expect(await api.call('POST', '/outbox/undelivered/redeliver', { ids: 'x' })).toMatchObject({ status: 400 });
    expect(await api.call('POST', '/outbox/undelivered/delete', '{"all": ')).toMatchObject({
      status: 400,
      body: { code: 'INVALID_JSON' },
    });
    expect(await api.call('POST', '/outbox/undelivered/delete', { topic: 'billing' })).toMatchObject({
      body: { count: 1 },
    });
    expect((await api.outbox.listUndelivered()).events).toEqual([]);
    expect(await api.outbox.pendingCount()).toBe(1);
  });

  it('answers 401 without the operator token and changes nothing', async () => {
    await using api = await operatorApi();
    for (const [method, path] of [
      ['GET', '/outbox/undelivered'],
      ['GET', `/outbox/undelivered/${api.ids[0]}`],
      ['POST', '/outbox/undelivered/redeliver'],
      ['DELETE', `/outbox/undelivered/${api.ids[0]}`],
    ] as const) {
      const response = await api.call(method, path, method === 'POST' ? { all: true } : undefined, 'Bearer guess');
      expect(response).toMatchObject({ status: 401, body: { code: 'UNAUTHORIZED' } });
    }
    expect((await api.outbox.listUndelivered()).events).toHaveLength(3);
  });
});
