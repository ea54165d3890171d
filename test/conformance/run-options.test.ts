import { createServer } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { conformanceChecks, runConformance, selectChecks, type ConformanceCheck } from '@events-protocol/conformance';
import { toNodeListener } from '@events-protocol/server';
import { Agent, request } from 'undici';
import { describe, expect, it } from 'vitest';
import { listen } from '../support/http-server.js';
import { echoProcessor, startNodeHttpEcho } from './echo-servers.js';

describe('runConformance', () => {
  it('reports a server that refuses connections as unreachable, running no check', async () => {
    const server = await startNodeHttpEcho();
    const url = `${server.origin}/events`;
    await server.close();
    const report = await runConformance({ url });
    expect(report).toMatchObject({
      url,
      results: [],
      passed: false,
      counts: { pass: 0, warn: 0, fail: 0, skip: 0 },
      stopped: { kind: 'unreachable', reason: expect.stringMatching(/ECONNREFUSED/) },
    });
  });

  it('reports a host that does not resolve as unreachable', async () => {
    const report = await runConformance({ url: 'http://conformance.invalid/events', timeoutMs: 3000 });
    expect(report.stopped).toEqual({ kind: 'unreachable', reason: expect.stringMatching(/ENOTFOUND|EAI_AGAIN/) });
  });

  it('reports a server that takes the connection and does not answer in time apart from unreachable', async () => {
    await using server = await listen((_request, response) => {
      setTimeout(() => response.end('{}'), 1000).unref();
    });
    const report = await runConformance({ url: `${server.origin}/events`, timeoutMs: 150 });
    expect(report.stopped).toEqual({
      kind: 'no-answer',
      reason: 'connected, but no answer within 150 ms, to a valid echo event',
    });
  });

  it.each<[string, (socket: Socket) => void]>([
    ['resets the connection', (socket) => socket.resetAndDestroy()],
    ['hangs up', (socket) => socket.end()],
    ['sends an empty reply', (socket) => socket.end('HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\n')],
  ])('reports a server that %s as connected without an answer', async (_what, misbehave) => {
    const server = createNetServer((socket) => socket.once('data', () => misbehave(socket)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const report = await runConformance({ url: `http://127.0.0.1:${port}/events` });
      expect(report).toMatchObject({ results: [], passed: false, stopped: { kind: 'no-answer' } });
      expect(report.stopped?.reason).toMatch(/^connected, but no answer: .+, to a valid echo event$/);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('stops with what came back for a URL that is not the events route, or a missing header', async () => {
    await using server = await startNodeHttpEcho();
    const report = await runConformance({ url: `${server.origin}/wrong` });
    expect(report).toMatchObject({ results: [], passed: false });
    expect(report.stopped).toEqual({
      kind: 'not-an-event',
      reason:
        'a valid echo event was answered HTTP 404 with an event without a string name: {"code":"NOT_FOUND","parameters":{}}; is the URL the events route, and does it need a header (-H)?',
    });
  });

  it('stops with one reason when the echo handler is not registered under the given name', async () => {
    await using server = await startNodeHttpEcho();
    const report = await runConformance({ url: `${server.origin}/events`, echoEvent: 'other:echo', echoVersion: 2 });
    expect(report).toMatchObject({ results: [], passed: false, stopped: { kind: 'no-echo-handler' } });
    expect(report.stopped?.reason).toMatch(
      /^the server has no handler for other:echo v2 \(it answered eventNotFound\); the kit needs one that answers its payload unchanged, e\.g\. registry\.register\(\{ name: 'other:echo', version: 2, handler: \(event\) => event\.payload \}\)/,
    );
  });

  it('reports results in order as each becomes known, the same results as the report', async () => {
    await using server = await startNodeHttpEcho();
    const seen: string[] = [];
    const report = await runConformance({
      url: `${server.origin}/events`,
      onResult: (result, progress) => seen.push(`${progress.done}/${progress.total} ${result.id} ${result.status}`),
    });
    expect(seen).toEqual(
      report.results.map((result, index) => `${index + 1}/${conformanceChecks.length} ${result.id} ${result.status}`),
    );
  });

  it('sends the given headers with every request', async () => {
    const events = toNodeListener(echoProcessor());
    await using server = await listen(
      createServer((incoming, response) => {
        if (incoming.headers['x-api-key'] === 'k-1') events(incoming, response);
        else response.writeHead(401).end();
      }),
    );
    const report = await runConformance({ url: `${server.origin}/events`, headers: { 'x-api-key': 'k-1' } });
    expect(report.counts).toEqual({ pass: conformanceChecks.length, warn: 0, fail: 0, skip: 0 });
    const refused = await runConformance({ url: `${server.origin}/events`, checks: selectChecks(['success-naming']) });
    expect(refused.stopped?.reason).toMatch(
      /^a valid echo event was answered HTTP 401 with a body that is not JSON: \(empty\);/,
    );
  });

  it('sends through a given dispatcher and leaves it open', async () => {
    await using server = await startNodeHttpEcho();
    const agent = new Agent();
    try {
      const report = await runConformance({
        url: `${server.origin}/events`,
        dispatcher: agent,
        checks: selectChecks(['echo-envelope']),
      });
      expect(report.passed).toBe(true);
      const again = await request(`${server.origin}/events`, { method: 'POST', body: '{}', dispatcher: agent });
      expect(again.statusCode).toBe(200);
      await again.body.dump();
    } finally {
      await agent.close();
    }
  });

  it('runs user checks, failing one that throws without stopping the others', async () => {
    await using server = await startNodeHttpEcho();
    const throwing: ConformanceCheck = {
      id: 'user-throws',
      rule: 'A user check.',
      run: () => Promise.reject(new Error('bug in the check')),
    };
    const report = await runConformance({
      url: `${server.origin}/events`,
      checks: [throwing, ...selectChecks(['big-integers'])],
      concurrency: 1,
    });
    expect(report.results.map((result) => [result.id, result.status, result.detail])).toEqual([
      ['user-throws', 'fail', 'the check threw: bug in the check'],
      ['big-integers', 'pass', 'every digit kept'],
    ]);
  });
});
