import { createServer } from 'node:http';
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
    expect(report).toMatchObject({ url, results: [], passed: false, counts: { pass: 0, warn: 0, fail: 0 } });
    expect(report.unreachable).toMatch(/ECONNREFUSED/);
  });

  it('reports a server that does not answer in time as unreachable', async () => {
    await using server = await listen((_request, response) => {
      setTimeout(() => response.end('{}'), 1000).unref();
    });
    const report = await runConformance({ url: `${server.origin}/events`, timeoutMs: 150 });
    expect(report.unreachable).toBe('no answer within 150 ms');
  });

  it('fails every check on a URL that is not the events route, saying what came back', async () => {
    await using server = await startNodeHttpEcho();
    const report = await runConformance({ url: `${server.origin}/wrong` });
    expect(report.unreachable).toBeUndefined();
    expect(report.counts.fail).toBeGreaterThan(conformanceChecks.length - 3);
    expect(report.results[0]?.detail).toBe(
      'HTTP 404 with an event without a string name: {"code":"NOT_FOUND","parameters":{}}',
    );
  });

  it('says when the echo handler is not registered under the given name', async () => {
    await using server = await startNodeHttpEcho();
    const report = await runConformance({
      url: `${server.origin}/events`,
      echoEvent: 'other:echo',
      checks: selectChecks(['success-naming']),
    });
    expect(report.results).toEqual([
      expect.objectContaining({
        id: 'success-naming',
        status: 'fail',
        detail:
          'answered "eventNotFound", not "other:echo:response" (is the echo handler registered as other:echo v1?)',
      }),
    ]);
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
    expect(report.counts).toEqual({ pass: conformanceChecks.length, warn: 0, fail: 0 });
    const refused = await runConformance({ url: `${server.origin}/events`, checks: selectChecks(['success-naming']) });
    expect(refused.results[0]?.detail).toBe('HTTP 401 with a body that is not JSON: (empty)');
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
