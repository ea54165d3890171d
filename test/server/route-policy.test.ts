import { createServer } from 'node:http';
import { eventsRouter } from '@events-protocol/express-adapter';
import { createEventServer } from '@events-protocol/server';
import express from 'express';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleProcessor } from '../support/example-service.js';
import { listen, type RunningServer } from '../support/http-server.js';

interface Answer {
  status: number;
  contentType: unknown;
  allow: unknown;
  body: string;
}

interface Case {
  method: string;
  path: string;
  contentType?: string;
  body?: string;
}

const echo = JSON.stringify({ name: 'echo', version: 1, id: 'i', flowId: 'f', payload: 1 });

const cases: [string, Case][] = [
  ['POST /events', { method: 'POST', path: '/events', body: echo }],
  ['POST /events/', { method: 'POST', path: '/events/', body: echo }],
  ['POST /events?x=1', { method: 'POST', path: '/events?x=1', body: echo }],
  ['GET /events (discovery)', { method: 'GET', path: '/events' }],
  ['GET /events/ (discovery)', { method: 'GET', path: '/events/' }],
  ['HEAD /events', { method: 'HEAD', path: '/events' }],
  ['PUT /events', { method: 'PUT', path: '/events', body: '{}' }],
  ['DELETE /events', { method: 'DELETE', path: '/events' }],
  ['OPTIONS /events', { method: 'OPTIONS', path: '/events' }],
  ['a wrong content type', { method: 'POST', path: '/events', contentType: 'text/plain', body: echo }],
  ['an oversize body', { method: 'POST', path: '/events', body: JSON.stringify({ x: 'x'.repeat(2048) }) }],
];

async function send(server: RunningServer, sent: Case): Promise<Answer> {
  const response = await request(`${server.origin}${sent.path}`, {
    method: sent.method,
    headers: { 'content-type': sent.contentType ?? 'application/json' },
    ...(sent.body === undefined ? {} : { body: sent.body }),
  });
  return {
    status: response.statusCode,
    contentType: response.headers['content-type'],
    allow: response.headers['allow'],
    body: await response.body.text(),
  };
}

describe.each([true, false])('the node:http and Express adapters answer alike (discovery %s)', (discovery) => {
  const options = { discovery, maxBodyBytes: 1024 };
  let node: RunningServer;
  let viaExpress: RunningServer;

  beforeAll(async () => {
    node = await listen(createEventServer(exampleProcessor(), options));
    const app = express();
    app.use(eventsRouter(exampleProcessor(), options));
    viaExpress = await listen(createServer(app));
  });
  afterAll(async () => {
    await Promise.all([node.close(), viaExpress.close()]);
  });

  it.each(cases)('%s', async (_label, sent) => {
    const [fromNode, fromExpress] = await Promise.all([send(node, sent), send(viaExpress, sent)]);
    // Event ids of badProtocol answers are fresh UUIDs: compare the rest.
    const stable = (answer: Answer): Answer => ({
      ...answer,
      body: answer.body.replace(/"(id|flowId)":"[0-9a-f-]{36}"/g, '"$1":"<uuid>"'),
    });
    expect(stable(fromExpress)).toEqual(stable(fromNode));
  });

  // Paths are case-sensitive (RFC 3986) and only one trailing slash is the route's.
  it.each(['/other', '/EVENTS', '/events//', '/events/more'])(
    'leaves %s to the host: node:http answers a JSON 404, Express passes it on to the app',
    async (path) => {
      const fromNode = await send(node, { method: 'POST', path, body: echo });
      expect([fromNode.status, fromNode.contentType, JSON.parse(fromNode.body)]).toEqual([
        404,
        'application/json; charset=utf-8',
        { code: 'NOT_FOUND', parameters: {} },
      ]);
      const fromExpress = await send(viaExpress, { method: 'POST', path, body: echo });
      expect([fromExpress.status, fromExpress.body]).toEqual([404, expect.stringContaining(`Cannot POST ${path}`)]);
    },
  );
});
