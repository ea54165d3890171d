import { formatConformanceTable, runConformance, type ConformanceReport } from '@events-protocol/conformance';
import { describe, expect, it } from 'vitest';
import { listen } from '../support/http-server.js';
import { deviantEchoServer, type Deviations } from './deviant-server.js';

/** The checks that did not pass, by id: what the kit caught. */
function caught(report: ConformanceReport): Record<string, string> {
  return Object.fromEntries(
    report.results.filter((result) => result.status !== 'pass').map((result) => [result.id, result.status]),
  );
}

async function judgeDeviant(deviations: Deviations): Promise<ConformanceReport> {
  await using server = await listen(deviantEchoServer(deviations));
  const report = await runConformance({ url: `${server.origin}/events` });
  expect(report.unreachable).toBeUndefined();
  return report;
}

const badProtocolFieldChecks = [
  'bad-protocol-empty-object',
  'bad-protocol-missing-name',
  'bad-protocol-mistyped-name',
  'bad-protocol-missing-version',
  'bad-protocol-mistyped-version',
  'bad-protocol-missing-id',
  'bad-protocol-mistyped-id',
  'bad-protocol-missing-flowId',
  'bad-protocol-mistyped-flowId',
  'bad-protocol-identity-not-object',
  'bad-protocol-auth-not-object',
  'bad-protocol-metadata-not-object',
];
const warnings = (ids: readonly string[]): Record<string, string> => Object.fromEntries(ids.map((id) => [id, 'warn']));

describe('the kit against a deliberately deviant raw node:http server', () => {
  it('passes the deviant server with no deviation turned on', async () => {
    const report = await judgeDeviant({});
    expect(caught(report), formatConformanceTable(report)).toEqual({});
  });

  it.each<[string, Deviations, Record<string, string>]>([
    ['echoes identity and auth', { echoContext: true }, { 'auth-not-echoed': 'fail', 'identity-not-echoed': 'fail' }],
    ['rounds 64-bit integers', { roundBigIntegers: true }, { 'big-integers': 'fail' }],
    ['answers errors with HTTP 500', { errorStatus: 500 }, { 'http-status-200': 'fail' }],
    ['answers errors with HTTP 202', { errorStatus: 202 }, { 'http-status-200': 'warn' }],
    [
      'names unknown events <name>:error',
      { notFound: 'error' },
      { 'event-not-found-name': 'fail', 'event-not-found-version': 'fail' },
    ],
    [
      'names unknown events the tolerated <name>:notFound',
      { notFound: 'tolerated' },
      { 'event-not-found-name': 'warn', 'event-not-found-version': 'warn' },
    ],
    [
      'decodes bodies as Latin-1',
      { latin1: true },
      { 'echo-payload-unicode': 'fail', 'utf8-with-charset': 'fail', 'utf8-without-charset': 'fail' },
    ],
    [
      'accepts identity, auth and metadata of any type',
      { anyContextType: true },
      {
        'bad-protocol-identity-not-object': 'fail',
        'bad-protocol-auth-not-object': 'fail',
        'bad-protocol-metadata-not-object': 'fail',
      },
    ],
    ['uses the older missingProperty key', { missingPropertyKey: true }, warnings(badProtocolFieldChecks)],
    [
      'is strict',
      { strict: true },
      warnings([
        'lenient-missing-identity',
        'lenient-missing-auth',
        'lenient-missing-metadata',
        'lenient-missing-payload',
      ]),
    ],
    ['answers without a charset', { noCharset: true }, { 'content-type-json': 'warn' }],
    ['refuses the trailing-slash route', { noTrailingSlash: true }, { 'trailing-slash-route': 'warn' }],
    ['writes fields out of order', { sortedFields: true }, { 'response-fields': 'warn' }],
  ])('catches a server that %s, and only that', async (_deviation, deviations, expected) => {
    const report = await judgeDeviant(deviations);
    expect(caught(report), formatConformanceTable(report)).toEqual(expected);
    expect(report.passed).toBe(!Object.values(expected).includes('fail'));
  });

  it('says what it saw in the detail', async () => {
    const rounded = await judgeDeviant({ roundBigIntegers: true });
    expect(rounded.results.find((result) => result.id === 'big-integers')?.detail).toBe(
      '64-bit integers: payload.jvmId came back as 65484548474984660, sent 65484548474984654',
    );
    const echoed = await judgeDeviant({ echoContext: true });
    expect(echoed.results.find((result) => result.id === 'auth-not-echoed')?.detail).toBe(
      "the request's auth.token appears in the answer",
    );
    const status = await judgeDeviant({ errorStatus: 500 });
    expect(status.results.find((result) => result.id === 'http-status-200')?.detail).toMatch(
      /^eventNotFound: HTTP 500;/,
    );
  });
});
