import { EventClient } from '@events-protocol/client';
import { closeGracefully, createEventServer, EventProcessor, EventRegistry } from '@events-protocol/server';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';

async function startSlowServer(delayMs: number) {
  const started: string[] = [];
  const finished: string[] = [];
  const registry = new EventRegistry().register({
    name: 'work',
    timeoutMs: 60_000,
    handler: async (event) => {
      started.push(event.id);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      finished.push(event.id);
      return { done: event.id };
    },
  });
  const server = createEventServer(new EventProcessor(registry));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`;
  return { server, url, started, finished };
}

describe('graceful close', () => {
  it('lets events in flight finish and answer, refuses new connections, then closes', async () => {
    const { server, url, started } = await startSlowServer(200);
    const client = new EventClient({ url, timeout: 5000 });
    const inFlight = Array.from({ length: 5 }, (_, index) => client.sendEvent({ name: 'work', id: `e-${index}` }));
    while (started.length < 5) await new Promise((resolve) => setTimeout(resolve, 5));

    const closing = closeGracefully(server, { graceMs: 5000 });
    const late = new EventClient({ url, timeout: 1000 });
    expect(await late.sendEvent({ name: 'work' })).toMatchObject({ kind: 'failedDependency', reason: 'unreachable' });

    const results = await Promise.all(inFlight);
    expect(results.map((result) => result.kind)).toEqual(['success', 'success', 'success', 'success', 'success']);
    const report = await closing;
    expect(report.forcedConnections).toBe(0);
    expect(report.durationMs).toBeLessThan(2000);
    expect(server.listening).toBe(false);
    await Promise.all([client.close(), late.close()]);
  });

  it('cuts what is still running when the grace period ends', async () => {
    const { server, url, started, finished } = await startSlowServer(10_000);
    const client = new EventClient({ url, timeout: 5000 });
    const pending = client.sendEvent({ name: 'work' });
    while (started.length < 1) await new Promise((resolve) => setTimeout(resolve, 5));
    const report = await closeGracefully(server, { graceMs: 150 });
    expect(report.forcedConnections).toBe(1);
    expect(report.durationMs).toBeLessThan(1500);
    expect(await pending).toMatchObject({ kind: 'failedDependency', reason: 'unreachable' });
    expect(finished).toEqual([]);
    await client.close();
  });
});
