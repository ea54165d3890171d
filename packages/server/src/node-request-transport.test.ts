import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { NodeRequestTransport } from './node-request-transport.js';

/** Sends one request to a real server and hands the request it received to `inspect`. */
async function withReceivedRequest(
  headers: Record<string, string | string[]>,
  inspect: (request: IncomingMessage) => void,
): Promise<void> {
  const server = createServer((request, response) => {
    try {
      inspect(request);
      response.end('ok');
    } catch (error) {
      response.statusCode = 500;
      response.end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    const status = await new Promise<number>((resolve, reject) => {
      const sent = httpRequest({ port, host: '127.0.0.1', path: '/events?x=1', method: 'POST', headers }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      sent.on('error', reject);
      sent.end();
    });
    expect(status).toBe(200);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

describe('NodeRequestTransport', () => {
  it('reads the headers in any case, the method, the target and the peer address', async () => {
    let seen: Record<string, unknown> = {};
    await withReceivedRequest({ Authorization: 'Bearer t', 'X-Multi': ['a', 'b'] }, (request) => {
      const transport = new NodeRequestTransport(request);
      seen = {
        kind: transport.kind,
        authorization: transport.headers.get('AUTHORIZATION'),
        multi: transport.headers.get('x-multi'),
        absent: transport.headers.get('x-absent'),
        names: [...transport.headers.entries()].map(([name]) => name),
        method: transport.method,
        url: transport.url,
        remoteAddress: transport.remoteAddress,
      };
    });
    expect(seen).toMatchObject({
      kind: 'http',
      authorization: 'Bearer t',
      multi: 'a, b',
      absent: undefined,
      method: 'POST',
      url: '/events?x=1',
      remoteAddress: '127.0.0.1',
    });
    expect(seen['names']).toContain('authorization');
  });

  it('asks the reader it was given for the client address', async () => {
    let address: string | undefined;
    await withReceivedRequest({}, (request) => {
      address = new NodeRequestTransport(request, (received) => `via ${received.method ?? '?'}`).remoteAddress;
    });
    expect(address).toBe('via POST');
  });
});
