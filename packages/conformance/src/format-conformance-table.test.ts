import { describe, expect, it } from 'vitest';
import { formatConformanceTable } from './format-conformance-table.js';
import type { ConformanceStop } from './preflight.js';
import type { ConformanceReport } from './run-conformance.js';

const report: ConformanceReport = {
  url: 'http://127.0.0.1:8080/events',
  echoEvent: 'conformance:echo',
  echoVersion: 1,
  results: [
    { id: 'success-naming', rule: 'Success rule.', status: 'pass', detail: 'answered "conformance:echo:response"' },
    { id: 'big-integers', rule: 'Numbers rule.', status: 'fail', detail: 'payload.id came back as 1, sent 2' },
    { id: 'trailing-slash-route', rule: 'Slash rule.', status: 'warn', detail: '/events/: HTTP 404' },
  ],
  counts: { pass: 1, warn: 1, fail: 1, skip: 0 },
  passed: false,
};

describe('formatConformanceTable', () => {
  it('lists each check, the rule under warnings and failures, and a summary', () => {
    expect(formatConformanceTable(report)).toBe(
      [
        'Events protocol conformance of http://127.0.0.1:8080/events (echo event conformance:echo v1)',
        '',
        'STATUS  CHECK                 DETAIL',
        'PASS    success-naming        answered "conformance:echo:response"',
        'FAIL    big-integers          payload.id came back as 1, sent 2',
        '                              rule: Numbers rule.',
        'WARN    trailing-slash-route  /events/: HTTP 404',
        '                              rule: Slash rule.',
        '',
        '3 checks: 1 passed, 1 warned, 1 failed: does not conform',
        '',
      ].join('\n'),
    );
  });

  it('colours statuses and dims rules on request', () => {
    const table = formatConformanceTable(
      { ...report, counts: { pass: 1, warn: 1, fail: 0, skip: 0 }, passed: true },
      { color: true },
    );
    expect(table).toContain('\u001b[32mPASS\u001b[0m    success-naming');
    expect(table).toContain('\u001b[31mFAIL\u001b[0m');
    expect(table).toContain('\u001b[33mWARN\u001b[0m');
    expect(table).toContain('\u001b[2m                              rule: Slash rule.\u001b[0m');
    expect(table).toContain('failed: \u001b[32mconforms\u001b[0m');
  });

  it('counts skipped checks, without their rule', () => {
    const skipped: ConformanceReport = {
      ...report,
      results: [
        ...report.results,
        { id: 'content-type-json', rule: 'Type rule.', status: 'skip', detail: 'blocked by big-integers: no answer' },
      ],
      counts: { pass: 1, warn: 1, fail: 1, skip: 1 },
    };
    const table = formatConformanceTable(skipped);
    expect(table).toContain('\nSKIP    content-type-json     blocked by big-integers: no answer\n\n');
    expect(table).toContain('4 checks: 1 passed, 1 warned, 1 failed, 1 skipped: does not conform');
  });

  it.each<[ConformanceStop, string]>([
    [
      { kind: 'unreachable', reason: 'connect ECONNREFUSED' },
      'UNREACHABLE connect ECONNREFUSED (is the server running, and is the URL its events route?)',
    ],
    [
      { kind: 'no-answer', reason: 'connected, but no answer: socket hang up' },
      'NO ANSWER connected, but no answer: socket hang up',
    ],
    [{ kind: 'no-echo-handler', reason: 'the server has no handler' }, 'NO ECHO HANDLER the server has no handler'],
  ])('says in one line why no check ran: %j', (stopped, line) => {
    const stoppedReport = { ...report, results: [], counts: { pass: 0, warn: 0, fail: 0, skip: 0 }, stopped };
    expect(formatConformanceTable(stoppedReport)).toBe(
      `Events protocol conformance of http://127.0.0.1:8080/events (echo event conformance:echo v1)\n\n${line}\n`,
    );
  });
});
