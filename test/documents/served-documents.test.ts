import { createEventServer, EventProcessor, toFetchHandler } from '@events-protocol/server';
import { eventsRouter } from '@events-protocol/express-adapter';
import { eventsPlugin } from '@events-protocol/fastify';
import express from 'express';
import Fastify from 'fastify';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { versionedRegistry } from './demo-services.js';
import { asyncApiFindings, latestVersionNotice, openApiProblems } from './document-checks.js';

const servers: { close: () => Promise<void> }[] = [];

async function serve(discovery: boolean): Promise<string> {
  const server = createEventServer(new EventProcessor(versionedRegistry()), { discovery });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push({
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

let origin = '';
beforeAll(async () => {
  origin = await serve(true);
});
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

describe('createEventServer with discovery on', () => {
  it('serves an AsyncAPI document the official parser accepts at /events/asyncapi.json', async () => {
    const response = await request(`${origin}/events/asyncapi.json`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const document = (await response.body.json()) as { operations: object };
    expect(Object.keys(document.operations)).toEqual(['user-get.v1', 'user-get.v2']);
    const findings = await asyncApiFindings(document);
    expect(findings.filter((finding) => finding.code !== latestVersionNotice)).toEqual([]);
  });

  it('serves an OpenAPI document the validator accepts at /events/openapi.json (a query is ignored)', async () => {
    const response = await request(`${origin}/events/openapi.json?v=1`);
    expect(response.statusCode).toBe(200);
    const document = (await response.body.json()) as { paths: object };
    expect(Object.keys(document.paths)).toEqual(['/events']);
    expect(await openApiProblems(document)).toEqual([]);
  });

  it('answers 405 with Allow to other methods on a document, and leaves other files to the host', async () => {
    const post = await request(`${origin}/events/openapi.json`, { method: 'POST', body: '{}' });
    expect(post.statusCode).toBe(405);
    expect(post.headers['allow']).toBe('GET, HEAD');
    await post.body.dump();
    const other = await request(`${origin}/events/other.json`);
    expect(other.statusCode).toBe(404);
    await other.body.dump();
  });
});

describe('documents follow discovery', () => {
  it('are not served when discovery is off', async () => {
    const off = await serve(false);
    const response = await request(`${off}/events/asyncapi.json`);
    expect(response.statusCode).toBe(404);
    await response.body.dump();
  });

  it('are served by the fetch handler too', async () => {
    const handler = toFetchHandler(new EventProcessor(versionedRegistry()), { discovery: true });
    const response = await handler(new Request('http://service.test/events/asyncapi.json'));
    expect(response.status).toBe(200);
    const document = (await response.json()) as { asyncapi: string };
    expect(document.asyncapi).toBe('3.0.0');
    const head = await handler(new Request('http://service.test/events/openapi.json', { method: 'HEAD' }));
    expect(head.status).toBe(200);
  });
});

describe('the framework adapters', () => {
  it('Express serves both documents beside its route', async () => {
    const app = express().use(eventsRouter(new EventProcessor(versionedRegistry()), { discovery: true }));
    const server = app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', resolve));
    servers.push({
      close: () => {
        server.closeAllConnections();
        return new Promise((resolve) => server.close(() => resolve()));
      },
    });
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`;
    const asyncApi = await request(`${base}/asyncapi.json`);
    expect(asyncApi.statusCode).toBe(200);
    const findings = await asyncApiFindings(await asyncApi.body.json());
    expect(findings.filter((finding) => finding.code !== latestVersionNotice)).toEqual([]);
    const openApi = await request(`${base}/openapi.json`);
    expect(await openApiProblems(await openApi.body.json())).toEqual([]);
  });

  it('Fastify serves both documents beside its route, its prefix in the OpenAPI path', async () => {
    const app = Fastify();
    await app.register(eventsPlugin, { registry: versionedRegistry(), discovery: true, prefix: '/api' });
    await app.listen({ port: 0, host: '127.0.0.1' });
    servers.push({ close: () => app.close() });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/api/events`;
    const asyncApi = await request(`${base}/asyncapi.json`);
    expect(asyncApi.statusCode).toBe(200);
    const findings = await asyncApiFindings(await asyncApi.body.json());
    expect(findings.filter((finding) => finding.code !== latestVersionNotice)).toEqual([]);
    const openApi = await request(`${base}/openapi.json`);
    const document = (await openApi.body.json()) as { paths: object };
    expect(Object.keys(document.paths)).toEqual(['/api/events']);
    expect(await openApiProblems(document)).toEqual([]);
  });
});
