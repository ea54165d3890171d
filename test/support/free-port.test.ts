import { readFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort } from './free-port.js';
import { withFreshPortsOnCollision } from './nats-node.js';

const ephemeralStart = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);

describe('freePort', () => {
  it('chooses ports below the ephemeral range, which outgoing connections never take', async () => {
    const ports = await Promise.all(Array.from({ length: 50 }, () => freePort()));
    for (const port of ports) expect(port).toBeLessThan(ephemeralStart);
    // An outgoing connection's source port comes from the ephemeral range, so it never collides.
    const server = createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no address');
    const socket = connect(address.port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    expect(socket.localPort).toBeGreaterThanOrEqual(ephemeralStart);
    socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('returns a port a server can then bind', async () => {
    const port = await freePort();
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});

describe('withFreshPortsOnCollision', () => {
  it('starts again when a port was taken, and gives up after three tries', async () => {
    let calls = 0;
    const started = await withFreshPortsOnCollision(() => {
      calls += 1;
      if (calls < 3) return Promise.reject(new Error('listen tcp 127.0.0.1:1: bind: address already in use'));
      return Promise.resolve('started');
    });
    expect([started, calls]).toEqual(['started', 3]);

    calls = 0;
    await expect(
      withFreshPortsOnCollision(() => {
        calls += 1;
        return Promise.reject(new Error('bind: address already in use'));
      }),
    ).rejects.toThrow('address already in use');
    expect(calls).toBe(3);
  });

  it('does not retry any other failure', async () => {
    let calls = 0;
    await expect(
      withFreshPortsOnCollision(() => {
        calls += 1;
        return Promise.reject(new Error('nats-server n0 exited with 1: bad config'));
      }),
    ).rejects.toThrow('bad config');
    expect(calls).toBe(1);
  });
});
