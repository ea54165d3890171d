import { createServer } from 'node:http';
import { eventsRouter } from '@events-protocol/express-adapter';
import express from 'express';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { exampleProcessor } from '../support/example-service.js';
import { listen } from '../support/http-server.js';
import { describeAdapterContract } from './adapter-contract.js';

describeAdapterContract('express', (processor) => {
  const app = express();
  app.use(eventsRouter(processor, { discovery: true }));
  return listen(createServer(app));
});

describe('express adapter', () => {
  it('mounts under a router prefix and a custom path', async () => {
    const app = express();
    const api = express.Router();
    api.use(eventsRouter(exampleProcessor(), { path: '/rpc' }));
    app.use('/api', api);
    await using server = await listen(createServer(app));
    const response = await request(`${server.origin}/api/rpc`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'echo', version: 1, id: 'i', flowId: 'f', payload: 1 }),
    });
    expect(await response.body.json()).toMatchObject({ name: 'echo:response', payload: 1 });
  });

  it('reuses a body express.json() already parsed', async () => {
    const app = express();
    app.use(express.json());
    app.use(eventsRouter(exampleProcessor()));
    await using server = await listen(createServer(app));
    const response = await request(`${server.origin}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'echo', version: 1, id: 'i', flowId: 'f', payload: { parsed: true } }),
    });
    expect(await response.body.json()).toMatchObject({ name: 'echo:response', payload: { parsed: true } });
  });

  it('leaves other routes of the app alone', async () => {
    const app = express();
    app.use(eventsRouter(exampleProcessor()));
    app.get('/health', (_request, response) => {
      response.json({ ok: true });
    });
    await using server = await listen(createServer(app));
    expect(await (await request(`${server.origin}/health`)).body.json()).toEqual({ ok: true });
  });
});
