import {
  conformanceChecks,
  formatConformanceTable,
  runConformance,
  type ConformanceReport,
} from '@events-protocol/conformance';
import { describe, expect, it } from 'vitest';
import type { RunningServer } from '../support/http-server.js';
import { startExpressEcho, startNodeHttpEcho } from './echo-servers.js';

/** The checks that did not pass, with their detail: empty when the server conforms. */
function problems(report: ConformanceReport): string[] {
  return report.results.filter((result) => result.status !== 'pass').map((result) => `${result.id}: ${result.detail}`);
}

describe.each([
  ['node:http', startNodeHttpEcho],
  ['express', startExpressEcho],
] as const)('our %s adapter', (_name, start: (name?: string, version?: number) => Promise<RunningServer>) => {
  it('passes every check of the kit', async () => {
    await using server = await start();
    const report = await runConformance({ url: `${server.origin}/events` });
    expect(problems(report), formatConformanceTable(report)).toEqual([]);
    expect(report.passed).toBe(true);
    expect(report.counts).toEqual({ pass: conformanceChecks.length, warn: 0, fail: 0, skip: 0 });
  });

  it('passes with the echo handler under another name and version, and on the trailing-slash URL', async () => {
    await using server = await start('test:mirror', 3);
    const report = await runConformance({ url: `${server.origin}/events/`, echoEvent: 'test:mirror', echoVersion: 3 });
    expect(problems(report), formatConformanceTable(report)).toEqual([]);
  });
});
