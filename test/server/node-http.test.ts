import { createEventServer } from '@events-protocol/server';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { exampleProcessor } from '../support/example-service.js';
import { listen } from '../support/http-server.js';
import { describeAdapterContract } from './adapter-contract.js';

describeAdapterContract('node:http', (processor) => listen(createEventServer(processor, { discovery: true })));

describe('node:http adapter', () => {
  it('answers other paths with a JSON 404', async () => {
    await using server = await listen(createEventServer(exampleProcessor()));
    const response = await request(`${server.origin}/elsewhere`, { method: 'POST', body: '{}' });
    expect(response.statusCode).toBe(404);
    expect(await response.body.json()).toEqual({ code: 'NOT_FOUND', parameters: {} });
  });

  // Enforced over real sockets in slow-clients.test.ts.
  it('sets the header, request and keep-alive timeouts it is given, and the defaults', () => {
    const server = createEventServer(exampleProcessor(), { headersTimeoutMs: 2000, requestTimeoutMs: 4000 });
    expect([server.headersTimeout, server.requestTimeout]).toEqual([2000, 4000]);
    const defaults = createEventServer(exampleProcessor());
    expect([defaults.headersTimeout, defaults.requestTimeout, defaults.keepAliveTimeout]).toEqual([
      10_000, 30_000, 5_000,
    ]);
  });
});
