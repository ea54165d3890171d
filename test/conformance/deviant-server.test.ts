import {
  conformanceChecks,
  formatConformanceTable,
  runConformance,
  type ConformanceReport,
} from '@events-protocol/conformance';
import { describe, expect, it } from 'vitest';
import { listen } from '../support/http-server.js';
import { deviantEchoServer, type Deviations } from './deviant-server.js';

/** The checks that failed or warned, by id: what the kit caught. */
function caught(report: ConformanceReport): Record<string, string> {
  return Object.fromEntries(
    report.results
      .filter((result) => result.status === 'fail' || result.status === 'warn')
      .map((result) => [result.id, result.status]),
  );
}

/** The checks reported as skipped, each with the check it says blocked it. */
function skipped(report: ConformanceReport): Record<string, string> {
  return Object.fromEntries(
    report.results
      .filter((result) => result.status === 'skip')
      .map((result) => [result.id, /^blocked by ([\w-]+(?:, [\w-]+)*):/.exec(result.detail)?.[1] ?? result.detail]),
  );
}

async function judgeDeviant(deviations: Deviations): Promise<ConformanceReport> {
  await using server = await listen(deviantEchoServer(deviations));
  const report = await runConformance({ url: `${server.origin}/events` });
  expect(report.stopped, formatConformanceTable(report)).toBeUndefined();
  return report;
}

const fail = (...ids: string[]): Record<string, string> => Object.fromEntries(ids.map((id) => [id, 'fail']));
const warn = (...ids: string[]): Record<string, string> => Object.fromEntries(ids.map((id) => [id, 'warn']));
const blockedBy = (owner: string, ...ids: string[]): Record<string, string> =>
  Object.fromEntries(ids.map((id) => [id, owner]));

const fieldNamingChecks = [
  'bad-protocol-missing-name',
  'bad-protocol-mistyped-name',
  'bad-protocol-empty-name',
  'bad-protocol-missing-version',
  'bad-protocol-mistyped-version',
  'bad-protocol-invalid-version',
  'bad-protocol-missing-id',
  'bad-protocol-mistyped-id',
  'bad-protocol-missing-flowId',
  'bad-protocol-mistyped-flowId',
  'bad-protocol-identity-not-object',
  'bad-protocol-auth-not-object',
  'bad-protocol-metadata-not-object',
  'bad-protocol-first-field',
];
// Every check that expects an echo answer, besides success-naming.
const echoChecks = [
  'echo-envelope',
  'echo-payload-object',
  'echo-payload-array',
  'echo-payload-scalars',
  'echo-payload-unicode',
  'utf8-with-charset',
  'utf8-without-charset',
  'big-integers',
  'unknown-keys-ignored',
  'lenient-missing-identity',
  'lenient-missing-auth',
  'lenient-missing-metadata',
  'lenient-missing-payload',
  'trailing-slash-route',
];
const otherBadProtocolChecks = ['bad-protocol-array', 'bad-protocol-scalar', ...fieldNamingChecks];

describe('the kit against a raw node:http server that breaks one rule at a time', () => {
  it('passes the server with no deviation turned on', async () => {
    const report = await judgeDeviant({});
    expect(caught(report), formatConformanceTable(report)).toEqual({});
    expect(report.counts).toEqual({ pass: report.results.length, warn: 0, fail: 0, skip: 0 });
  });

  it.each<[string, Deviations, Record<string, string>, Record<string, string>?]>([
    ['echoes auth', { echo: 'auth' }, fail('auth-not-echoed')],
    ['echoes identity', { echo: 'identity' }, fail('identity-not-echoed')],
    [
      'names successes <name>:ok',
      { successSuffix: 'ok' },
      fail('success-naming'),
      blockedBy('success-naming', ...echoChecks),
    ],
    [
      'writes flow_id for flowId',
      { snakeCaseFlowId: true },
      fail('response-fields'),
      blockedBy('response-fields', 'echo-envelope', 'protocol-error-ids'),
    ],
    ['writes fields out of order', { sortedFields: true }, warn('response-fields')],
    ['answers a success with a new flowId', { newFlowIdOnSuccess: true }, fail('echo-envelope')],
    [
      'takes only object payloads and hangs up on others',
      { objectPayloadsOnly: true },
      fail('echo-payload-array', 'echo-payload-scalars'),
      blockedBy('echo-payload-scalars', 'lenient-missing-payload'),
    ],
    ['drops control characters from strings', { stripControlCharacters: true }, fail('echo-payload-unicode')],
    ['decodes Latin-1 when a charset is named', { latin1: 'with-charset' }, fail('utf8-with-charset')],
    ['decodes Latin-1 when no charset is named', { latin1: 'without-charset' }, fail('utf8-without-charset')],
    ['rounds 64-bit integers', { roundBigIntegers: true }, fail('big-integers')],
    ['refuses unknown top-level keys', { refuseUnknownKeys: true }, fail('unknown-keys-ignored')],
    [
      'is strict',
      { strict: true },
      warn('lenient-missing-identity', 'lenient-missing-auth', 'lenient-missing-metadata', 'lenient-missing-payload'),
    ],
    [
      'writes error payloads as message strings',
      { messageErrorPayloads: true },
      fail('error-payload-shape'),
      blockedBy(
        'error-payload-shape',
        'event-not-found-name',
        'event-not-found-version',
        'bad-protocol-unparseable',
        ...otherBadProtocolChecks,
      ),
    ],
    [
      'names unknown events <name>:error',
      { notFound: 'error' },
      fail('event-not-found-name'),
      blockedBy('event-not-found-name', 'event-not-found-version'),
    ],
    [
      'names unknown events the tolerated <name>:notFound',
      { notFound: 'tolerated' },
      warn('event-not-found-name', 'event-not-found-version'),
    ],
    ['routes by name only, ignoring the version', { ignoreVersion: true }, fail('event-not-found-version')],
    [
      'hangs up on text that is not JSON',
      { hangUpOnUnparseable: true },
      fail('bad-protocol-unparseable'),
      blockedBy(
        'bad-protocol-unparseable',
        'error-payload-shape',
        'bad-protocol-invalid-version',
        'protocol-error-ids',
        'http-status-200',
        'content-type-json',
      ),
    ],
    [
      'answers badProtocol with another code',
      { badProtocolCode: 'INVALID_EVENT' },
      fail('bad-protocol-unparseable'),
      blockedBy('bad-protocol-unparseable', ...otherBadProtocolChecks),
    ],
    ['reads an array holding one event as that event', { unwrapArrays: true }, fail('bad-protocol-array')],
    ['takes the empty string as a name', { acceptEmptyName: true }, fail('bad-protocol-empty-name')],
    ['coerces versions like a lenient binder', { coerceVersion: true }, fail('bad-protocol-invalid-version')],
    ['takes identity of any type', { anyContextType: 'identity' }, fail('bad-protocol-identity-not-object')],
    ['takes auth of any type', { anyContextType: 'auth' }, fail('bad-protocol-auth-not-object')],
    ['takes metadata of any type', { anyContextType: 'metadata' }, fail('bad-protocol-metadata-not-object')],
    ['names the last offending field', { lastOffendingField: true }, fail('bad-protocol-first-field')],
    ['uses the older missingProperty key', { missingPropertyKey: true }, warn(...fieldNamingChecks)],
    [
      "copies the request's version into protocol errors",
      { copyVersionOnErrors: true },
      fail('protocol-error-version'),
    ],
    ['gives protocol errors new ids', { newIdsOnErrors: true }, fail('protocol-error-ids')],
    ['answers errors with HTTP 500', { errorStatus: 500 }, fail('http-status-200')],
    ['answers errors with HTTP 202', { errorStatus: 202 }, warn('http-status-200')],
    ['answers text/plain', { contentType: 'text' }, fail('content-type-json')],
    ['answers without a charset', { contentType: 'no-charset' }, warn('content-type-json')],
    ['refuses the trailing-slash route', { noTrailingSlash: true }, warn('trailing-slash-route')],
  ])('catches a server that %s, and only that', async (_deviation, deviations, expected, blocked = {}) => {
    const report = await judgeDeviant(deviations);
    const table = formatConformanceTable(report);
    expect(caught(report), table).toEqual(expected);
    expect(skipped(report), table).toEqual(blocked);
    expect(report.passed).toBe(!Object.values(expected).includes('fail'));
  });

  it('runs every check against a server that takes only object payloads and echoes auth, and reports both', async () => {
    const report = await judgeDeviant({ objectPayloadsOnly: true, echo: 'auth' });
    expect(report.results.map((result) => result.id)).toEqual(conformanceChecks.map((check) => check.id));
    expect(caught(report), formatConformanceTable(report)).toEqual(
      fail('echo-payload-array', 'echo-payload-scalars', 'auth-not-echoed'),
    );
    expect(skipped(report)).toEqual(blockedBy('echo-payload-scalars', 'lenient-missing-payload'));
  });

  it('says what it saw in the detail', async () => {
    const rounded = await judgeDeviant({ roundBigIntegers: true });
    expect(rounded.results.find((result) => result.id === 'big-integers')?.detail).toBe(
      '64-bit integers: payload.jvmId came back as 65484548474984660, sent 65484548474984654',
    );
    const echoed = await judgeDeviant({ echo: 'auth' });
    expect(echoed.results.find((result) => result.id === 'auth-not-echoed')?.detail).toBe(
      "the request's auth.token appears in the answer",
    );
    const status = await judgeDeviant({ errorStatus: 500 });
    expect(status.results.find((result) => result.id === 'http-status-200')?.detail).toMatch(
      /^eventNotFound: HTTP 500;/,
    );
    const hungUp = await judgeDeviant({ objectPayloadsOnly: true });
    expect(hungUp.results.find((result) => result.id === 'echo-payload-scalars')?.detail).toMatch(
      /^null: connected, but no answer: .*; a string: connected, but no answer: /,
    );
  });
});

describe('the kit against a server without the echo handler', () => {
  it.each<[string, Deviations]>([
    ['eventNotFound', { echoName: 'other:echo' }],
    ['the tolerated <name>:notFound', { echoName: 'other:echo', notFound: 'tolerated' }],
  ])('stops with one line naming the handler it needs when the server answers %s', async (_answer, deviations) => {
    await using server = await listen(deviantEchoServer(deviations));
    const report = await runConformance({ url: `${server.origin}/events` });
    expect(report).toMatchObject({ results: [], passed: false, stopped: { kind: 'no-echo-handler' } });
    const table = formatConformanceTable(report).split('\n');
    expect(table.slice(2)).toEqual([
      expect.stringMatching(
        /^NO ECHO HANDLER the server has no handler for conformance:echo v1 \(it answered .+\); the kit needs one that answers its payload unchanged, e\.g\. registry\.register\(\{ name: 'conformance:echo', version: 1, handler: \(event\) => event\.payload \}\), or name yours with --event and --version$/,
      ),
      '',
    ]);
  });
});
