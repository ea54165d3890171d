import { createServer, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { guardedConnector } from './guarded-connector.js';
import { CompiledTargetPolicy } from './target-policy.js';

describe('the guarded connector', () => {
  it('checks the address actually dialled, so an IP literal that skips DNS is refused before a byte is written', async () => {
    const received: Buffer[] = [];
    const server = createServer((socket: Socket) => socket.on('data', (chunk: Buffer) => received.push(chunk)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = String((server.address() as { port: number }).port);
    const connect = (policy: CompiledTargetPolicy) =>
      new Promise<{ error: Error | null; socket: Socket | null }>((resolve) => {
        guardedConnector(
          policy,
          () => Promise.resolve([]),
          2000,
        )({ hostname: '127.0.0.1', protocol: 'http:', port }, (error, socket) => resolve({ error, socket }));
      });
    const refused = await connect(new CompiledTargetPolicy());
    expect(refused.error?.message).toMatch(/127\.0\.0\.1 connected to 127\.0\.0\.1 is not a public address/);
    expect((refused.error as { code?: string } | null)?.code).toBe('TARGET_REFUSED');
    const allowed = await connect(new CompiledTargetPolicy({ allow: ['127.0.0.1/32'] }));
    expect(allowed.error).toBeNull();
    allowed.socket?.end('hello');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(Buffer.concat(received).toString()).toBe('hello');
    server.close();
  });
});
