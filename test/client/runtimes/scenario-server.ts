import type { IncomingHttpHeaders, RequestListener } from 'node:http';
import { toNodeListener } from '@events-protocol/server';
import { expect } from 'vitest';
import { exampleProcessor } from '../../support/example-service.js';
import { listen, type RunningServer } from '../../support/http-server.js';
import type { ScenarioReport } from './client-scenarios.js';

/** The example service over node:http, remembering the headers of calls marked `x-scenario`. */
export interface ScenarioServer extends AsyncDisposable {
  readonly server: RunningServer;
  readonly url: string;
  /** An events URL on a port that was just closed: nothing listens there. */
  readonly unreachableUrl: string;
  /** The headers of each call that carried `x-scenario`, by its value. */
  readonly marked: Map<string, IncomingHttpHeaders>;
}

/** Starts the example service (hanging calls answer after 5 s), with `fallback` for other routes. */
export async function startScenarioServer(fallback?: RequestListener): Promise<ScenarioServer> {
  const marked = new Map<string, IncomingHttpHeaders>();
  const events = toNodeListener(exampleProcessor({ hangTimeoutMs: 5000 }), fallback === undefined ? {} : { fallback });
  const server = await listen((request, response) => {
    const mark = request.headers['x-scenario'];
    if (typeof mark === 'string') marked.set(mark, request.headers);
    events(request, response);
  });
  const closed = await listen(() => undefined);
  await closed.close();
  return {
    server,
    url: `${server.origin}/events`,
    unreachableUrl: `${closed.origin}/events`,
    marked,
    [Symbol.asyncDispose]: () => server.close(),
  };
}

/**
 * What every runtime must report: the same outcomes as on Node, the timeout at its budget (well
 * before the server's own 5 s), and the deadline header sent with the budget left.
 */
export function expectNodeOutcomes(report: ScenarioReport, server: ScenarioServer): void {
  expect(report.success).toEqual({ kind: 'success', name: 'echo:response', payload: { text: 'hello', count: 3 } });
  expect(report.typed).toEqual({ kind: 'success', payload: { userId: 'u-7', name: 'Ada Lovelace' } });
  expect(report.error).toEqual({
    kind: 'error',
    name: 'user:get:notFound',
    errorType: 'notFound',
    code: 'USER_NOT_FOUND',
  });
  expect(report.timeout).toMatchObject({ kind: 'timeout', budgetMs: 300 });
  // Not before the budget; and far from the 5 s after which the server would have answered.
  expect(report.timeout.elapsedMs).toBeGreaterThanOrEqual(report.timeout.budgetMs - 5);
  expect(report.timeout.elapsedMs).toBeLessThan(2500);
  expect(report.unreachable).toMatchObject({ kind: 'failedDependency', reason: 'unreachable' });
  expect(report.deadline).toMatchObject({ kind: 'success', name: 'echo:response', payload: 'marked' });
  const headers = server.marked.get('deadline');
  expect(headers?.['content-type']).toBe('application/json');
  const budget = Number(headers?.['x-events-deadline-ms']);
  expect(Number.isInteger(budget) && budget > 0 && budget <= report.deadline.budgetMs).toBe(true);
}
