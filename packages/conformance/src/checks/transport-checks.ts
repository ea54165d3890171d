import { readResponseOutcome } from '@events-protocol/core';
import {
  failing,
  judge,
  tolerated,
  type CheckContext,
  type ConformanceCheck,
  type Finding,
} from '../conformance-check.js';
import { expectEcho } from '../expect-echo.js';
import { errorPayloadCause, expectCode } from '../expect-protocol-error.js';
import type { ProbeAnswer } from '../http-probe.js';
import { missingFieldShape, ProbeShape } from '../probe-shapes.js';
import { answerCause, describeValue, missingAnswer, readAnswerEvent } from '../read-answer.js';
import { bodyOf, echoRequest, withoutFields } from '../request-bodies.js';
import { notJsonText } from './bad-protocol-checks.js';
import { unknownEventRequest } from './not-found-checks.js';
import { probeEach, type LabelledProbe } from './probe-each.js';

/** Requests that every server answers with an event: one success and a range of errors. */
function answerSamples(context: CheckContext, judgeAnswer: (answer: ProbeAnswer) => Finding[]): LabelledProbe[] {
  const bodies: readonly (readonly [string, string, string])[] = [
    ['a success', bodyOf(echoRequest(context)), ProbeShape.Echo],
    ['eventNotFound', bodyOf(unknownEventRequest(context)), ProbeShape.UnknownEvent],
    ['badProtocol (no id)', bodyOf(withoutFields(echoRequest(context), 'id')), missingFieldShape('id')],
    ['badProtocol (not JSON)', notJsonText, ProbeShape.NotJson],
  ];
  return bodies.map(([label, body, shape]) => ({ label, request: { body, shape }, judge: judgeAnswer }));
}

/** Every processed event answers HTTP 200. */
export const httpStatus200: ConformanceCheck = {
  id: 'http-status-200',
  rule: 'Every processed event, success or error, answers HTTP 200: the outcome is in the name, not the status (PROTOCOL.md, HTTP transport).',
  async run(context) {
    const findings = await probeEach(
      context,
      answerSamples(context, (answer) => {
        if (answer.kind !== 'answered') return [missingAnswer(answer)];
        if (answer.status === 200) return [];
        if (answer.status >= 200 && answer.status < 300) return [tolerated(`HTTP ${answer.status}, not 200`)];
        return [failing(`HTTP ${answer.status}; clients read a non-2xx status as a failed dependency`)];
      }),
    );
    return judge(findings, 'HTTP 200 for successes and errors');
  },
};

/** Answers are `application/json; charset=utf-8`. */
export const contentTypeJson: ConformanceCheck = {
  id: 'content-type-json',
  rule: 'Answers are `application/json; charset=utf-8` (PROTOCOL.md, HTTP transport).',
  async run(context) {
    const findings = await probeEach(context, answerSamples(context, judgeContentType));
    return judge(findings, 'application/json; charset=utf-8');
  },
};

function judgeContentType(answer: ProbeAnswer): Finding[] {
  if (answer.kind !== 'answered') return [missingAnswer(answer)];
  const header = answer.contentType;
  if (header === undefined) return [failing('no content-type')];
  const [type = '', ...parameters] = header.split(';').map((part) => part.trim().toLowerCase());
  if (type !== 'application/json') return [failing(`content-type ${describeValue(header)}`)];
  const charset = parameters.find((parameter) => parameter.startsWith('charset='))?.slice('charset='.length);
  if (charset === undefined) return [tolerated('application/json without a charset (JSON is UTF-8 by default)')];
  return charset.replace(/"/g, '') === 'utf-8' ? [] : [failing(`charset ${charset}, not utf-8`)];
}

/** The same route with a trailing slash (or without, when the URL has one). */
export function alternateRoute(url: string): string | undefined {
  const parsed = new URL(url);
  if (parsed.pathname === '/' || parsed.pathname === '') return undefined;
  parsed.pathname = parsed.pathname.endsWith('/') ? parsed.pathname.replace(/\/+$/, '') : `${parsed.pathname}/`;
  return parsed.toString();
}

/** `/events/` works as well as `/events`. */
export const trailingSlashRoute: ConformanceCheck = {
  id: 'trailing-slash-route',
  rule: 'The route is served with a trailing slash too, `/events/` as `/events`; refusing it is a warning (PROTOCOL.md, HTTP transport).',
  async run(context) {
    const url = alternateRoute(context.url);
    if (url === undefined) return { status: 'pass', detail: 'not applicable: the route is the root path' };
    const request = echoRequest(context);
    const { findings } = expectEcho(await context.post({ body: bodyOf(request), url }), request, { envelope: false });
    const path = new URL(url).pathname;
    // Only ever a warning; a fault the route under test shows too stays counted where it was.
    return judge(
      findings.map((finding) => tolerated(`${path}: ${finding.message}`, finding.cause)),
      `${path} served too`,
    );
  },
};

/** Every error answer's payload is `{code, parameters}`. */
export const errorPayloadShape: ConformanceCheck = {
  id: 'error-payload-shape',
  rule: 'Every error answer carries the event message shape `{"code": …, "parameters": {…}}` (PROTOCOL.md, Error types).',
  owns: [errorPayloadCause],
  async run(context) {
    const samples = answerSamples(context, (answer) => {
      const read = readAnswerEvent(answer);
      if (!read.ok) return [read.finding];
      // Answering an error request with a success is the naming checks' finding, not this rule's.
      if (readResponseOutcome(read.event.name).kind !== 'error')
        return [failing(`answered ${describeValue(read.event.name)}`, answerCause(answer))];
      const findings: Finding[] = [];
      expectCode(read.event, undefined, findings);
      return findings;
    });
    const findings = await probeEach(context, samples.slice(1));
    return judge(findings, '{code, parameters} on eventNotFound and badProtocol');
  },
};
