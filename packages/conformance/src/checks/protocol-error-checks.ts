import { EventErrorType } from '@events-protocol/core';
import { judge, type CheckContext, type ConformanceCheck, type Finding } from '../conformance-check.js';
import { expectIds, expectVersionOne } from '../expect-protocol-error.js';
import type { ProbeAnswer } from '../http-probe.js';
import { missingFieldShape, ProbeShape } from '../probe-shapes.js';
import { readAnswerEvent, type AnswerEvent } from '../read-answer.js';
import { bodyOf, echoRequest, idsOf, withoutFields, type RequestFields } from '../request-bodies.js';
import { notJsonText } from './bad-protocol-checks.js';
import { unknownEventRequest } from './not-found-checks.js';
import { probeEach, type LabelledProbe } from './probe-each.js';

/**
 * Judges an answer only when it is the protocol error expected: whether the server named it right
 * is the naming checks' rule, so any other answer is left to them (a blocked finding here).
 */
function whenProtocolError(answer: ProbeAnswer, judgeEvent: (event: AnswerEvent) => Finding[]): Finding[] {
  const read = readAnswerEvent(answer);
  if (!read.ok) return [read.finding];
  const { name } = read.event;
  if (name === EventErrorType.EventNotFound || name === EventErrorType.BadProtocol) return judgeEvent(read.event);
  return [];
}

interface ErrorProbe {
  readonly label: string;
  readonly shape?: string;
  readonly request: (context: CheckContext) => { body: string; fields: RequestFields | undefined };
}

const event = (fields: RequestFields): { body: string; fields: RequestFields } => ({ body: bodyOf(fields), fields });

function probesOf(
  context: CheckContext,
  probes: readonly ErrorProbe[],
  judgeEvent: (event: AnswerEvent, fields: RequestFields | undefined) => Finding[],
): LabelledProbe[] {
  return probes.map((probe) => {
    const { body, fields } = probe.request(context);
    return {
      label: probe.label,
      request: { body, ...(probe.shape === undefined ? {} : { shape: probe.shape }) },
      judge: (answer) => whenProtocolError(answer, (answered) => judgeEvent(answered, fields)),
    };
  });
}

/** `eventNotFound` and `badProtocol` answers carry version 1, whatever the request's version. */
export const protocolErrorVersion: ConformanceCheck = {
  id: 'protocol-error-version',
  rule: '`eventNotFound` and `badProtocol` answers carry version 1, whatever version the request had (PROTOCOL.md, Protocol errors).',
  async run(context) {
    const probes: ErrorProbe[] = [
      {
        label: 'an unknown event at v3',
        shape: ProbeShape.UnknownEvent,
        request: (c) => event(unknownEventRequest(c, 3)),
      },
      {
        label: 'an event without id at v3',
        shape: missingFieldShape('id'),
        request: (c) => event(withoutFields(echoRequest(c, { version: 3 }), 'id')),
      },
    ];
    const findings = await probeEach(context, probesOf(context, probes, expectVersionOne));
    return judge(findings, 'version 1 on eventNotFound and badProtocol');
  },
};

/** Protocol errors copy the request's usable `id` and `flowId`, and make new UUIDs otherwise. */
export const protocolErrorIds: ConformanceCheck = {
  id: 'protocol-error-ids',
  rule: "`eventNotFound` and `badProtocol` answers copy the request's `id` and `flowId` when they are usable strings, and carry new UUIDs otherwise (PROTOCOL.md, Protocol errors).",
  async run(context) {
    const probes: ErrorProbe[] = [
      { label: 'an unknown event', shape: ProbeShape.UnknownEvent, request: (c) => event(unknownEventRequest(c)) },
      {
        label: 'an event without version',
        shape: missingFieldShape('version'),
        request: (c) => event(withoutFields(echoRequest(c), 'version')),
      },
      {
        label: 'an event without id',
        shape: missingFieldShape('id'),
        request: (c) => event(withoutFields(echoRequest(c), 'id')),
      },
      {
        label: 'text that is not JSON',
        shape: ProbeShape.NotJson,
        request: () => ({ body: notJsonText, fields: undefined }),
      },
    ];
    const findings = await probeEach(
      context,
      probesOf(context, probes, (answered, fields) =>
        expectIds(answered, fields === undefined ? { id: undefined, flowId: undefined } : idsOf(fields)),
      ),
    );
    return judge(findings, 'ids copied when usable, new UUIDs otherwise');
  },
};
