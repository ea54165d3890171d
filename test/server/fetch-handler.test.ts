import { Readable } from 'node:stream';
import { EventProcessor, EventRegistry, toFetchHandler } from '@events-protocol/server';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleFetchProcessor } from '../runtimes/fetch-service.js';
import { fetchBridge, type BridgeHost } from '../support/fetch-bridge.js';
import { listen } from '../support/http-server.js';
import { missingRuntime, startRuntimeServer, type runtimes } from '../support/runtime-server.js';
import { loadTracingSdk } from '../support/open-telemetry-sdk.js';
import { describeAdapterContract, type AdapterServer, type StartAdapter } from './adapter-contract.js';

const hangFlag = (hangTimeoutMs: number) => `--hang-timeout-ms=${hangTimeoutMs}`;

/** Serves the fetch handler on Node through node:http, as Node hosts of web handlers do. */
const onNode: StartAdapter = (processor) =>
  listen(
    fetchBridge(
      toFetchHandler<BridgeHost>(processor, {
        discovery: true,
        getRemoteAddress: (_request, host) => host?.remoteAddress,
      }),
    ),
  );

/** The runtime's own server (`Bun.serve`, `Deno.serve`) serving the fetch handler, in a child process. */
const inRuntime =
  (name: keyof typeof runtimes): StartAdapter =>
  (_processor, service) =>
    startRuntimeServer(name, `runtimes/${name}-server.ts`, { args: [hangFlag(service.hangTimeoutMs)] });

/** What the fetch handler owes beyond the contract, on every runtime it serves on. */
function describeFetchHandler(name: string, start: StartAdapter): void {
  describeAdapterContract(`fetch handler on ${name}`, start);

  describe(`fetch handler on ${name}`, () => {
    let server: AdapterServer;
    beforeAll(async () => {
      server = await start(exampleFetchProcessor(150), { hangTimeoutMs: 150 });
    });
    afterAll(async () => {
      await server.close();
    });

    it("gives the handler the request's transport: method, target, headers, remote address", async () => {
      const response = await request(`${server.origin}/events/?probe=1`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-probe': 'seen' },
        body: JSON.stringify({ name: 'transport:describe', version: 1, id: 'i', flowId: 'f' }),
      });
      expect(await response.body.json()).toMatchObject({
        name: 'transport:describe:response',
        payload: { kind: 'http', method: 'POST', url: '/events/?probe=1', remoteAddress: '127.0.0.1', probe: 'seen' },
      });
    });

    it('refuses a streamed body over the limit with 413 while reading it, with no content-length', async () => {
      const chunk = 'x'.repeat(64 * 1024);
      const chunks = (async function* () {
        yield '{"name":"echo","version":1,"id":"i","flowId":"f","payload":"';
        for (let index = 0; index < 32; index++) yield chunk;
        yield '"}';
      })();
      const response = await request(`${server.origin}/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: Readable.from(chunks),
      });
      expect(response.statusCode).toBe(413);
      expect(await response.body.json()).toMatchObject({ name: 'badProtocol' });
    });

    it('takes a streamed body under the limit, with no content-length', async () => {
      const response = await request(`${server.origin}/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: Readable.from(['{"name":"echo","version":1,', '"id":"i","flowId":"f","payload":"ü', '"}']),
      });
      expect(await response.body.json()).toMatchObject({ name: 'echo:response', payload: 'ü' });
    });

    it('answers other paths with a JSON 404 by default', async () => {
      const response = await request(`${server.origin}/EVENTS`, { method: 'POST', body: '{}' });
      expect(response.statusCode).toBe(404);
      expect(await response.body.json()).toEqual({ code: 'NOT_FOUND', parameters: {} });
    });
  });
}

describeFetchHandler('Node (node:http bridge)', onNode);

for (const name of ['bun', 'deno'] as const) {
  const missing = missingRuntime(name);
  // The README's worker shape, `export default { fetch }`, as `deno serve` and `bun <file>` run it.
  if (missing === undefined) {
    describeAdapterContract(`fetch handler as a ${name} worker`, async (_processor, service) => {
      // A worker takes no arguments: runtimes/worker.ts sets the hang timeout the contract uses.
      expect(service.hangTimeoutMs).toBe(150);
      return startRuntimeServer(name, 'runtimes/worker.ts', { mode: 'worker' });
    });
  }
  if (missing === undefined)
    describeFetchHandler(name === 'bun' ? 'Bun (Bun.serve)' : 'Deno (Deno.serve)', inRuntime(name));
  else it.skip(`fetch handler on ${name}: skipped, ${missing}`, () => undefined);
}

describe('fetch handler tracing', () => {
  const { exporter, register, unregister } = loadTracingSdk();

  beforeAll(register);
  afterAll(unregister);

  it("continues the caller's trace from the traceparent header over a real socket", async () => {
    const processor = new EventProcessor(
      new EventRegistry().register({ name: 'echo', handler: (event) => event.payload }),
    );
    await using server = await listen(fetchBridge(toFetchHandler(processor)));
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const response = await request(`${server.origin}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: `00-${traceId}-b7ad6b7169203331-01` },
      body: JSON.stringify({ name: 'echo', version: 1, id: 'i', flowId: 'f', payload: 1 }),
    });
    expect(await response.body.json()).toMatchObject({ name: 'echo:response' });
    const [span] = exporter.getFinishedSpans();
    expect([span?.name, span?.spanContext().traceId, span?.parentSpanContext?.spanId]).toEqual([
      'echo:V1',
      traceId,
      'b7ad6b7169203331',
    ]);
  });
});
