import { eventFieldNames } from '@events-protocol/core';
import { failing, judge, tolerated, type ConformanceCheck, type Finding } from '../conformance-check.js';
import { expectEcho, missingFieldCause, successNamingCause } from '../expect-echo.js';
import { noEventCause, ProbeShape } from '../probe-shapes.js';
import { describeValue, isJsonObject, readAnswerEvent, type AnswerEvent } from '../read-answer.js';
import { bodyOf, echoRequest } from '../request-bodies.js';

/** A success answers `<name>:response`. */
export const successNaming: ConformanceCheck = {
  id: 'success-naming',
  rule: 'A handled event answers `<request name>:response` (PROTOCOL.md, Response naming).',
  owns: [noEventCause(ProbeShape.Echo), successNamingCause],
  async run(context) {
    const request = echoRequest(context);
    const { findings } = expectEcho(await context.post({ body: bodyOf(request), shape: ProbeShape.Echo }), request, {
      envelope: false,
      payload: false,
    });
    return judge(findings, `answered "${context.echoEvent}:response"`);
  },
};

/** A response copies the request's version, id and flowId. */
export const echoEnvelope: ConformanceCheck = {
  id: 'echo-envelope',
  rule: "A response carries the request's `version`, `id` and `flowId` (PROTOCOL.md, The event).",
  async run(context) {
    const request = echoRequest(context);
    const answer = await context.post({ body: bodyOf(request), shape: ProbeShape.Echo });
    const { findings } = expectEcho(answer, request, { payload: false });
    return judge(findings, 'version, id and flowId copied');
  },
};

const requiredFields: ReadonlySet<string> = new Set(['name', 'version', 'id', 'flowId', 'payload']);
const checkedFields = ['version', 'id', 'flowId', 'payload'] as const;

/** A response has the eight fields, typed as the protocol says, in wire order. */
export const responseFields: ConformanceCheck = {
  id: 'response-fields',
  rule: 'A response is one JSON object with exactly the eight fields, typed and in the order of the table (PROTOCOL.md, The event).',
  owns: checkedFields.map(missingFieldCause),
  async run(context) {
    const request = echoRequest(context);
    const read = readAnswerEvent(await context.post({ body: bodyOf(request), shape: ProbeShape.Echo }));
    if (!read.ok) return judge([read.finding], '');
    return judge(fieldFindings(read.event), 'all eight fields, in order');
  },
};

function fieldFindings(event: AnswerEvent): Finding[] {
  const findings: Finding[] = [];
  const keys = Object.keys(event);
  const known: ReadonlySet<string> = new Set(eventFieldNames);
  for (const field of eventFieldNames) {
    if (keys.includes(field)) continue;
    findings.push(
      requiredFields.has(field)
        ? failing(`no ${field}`, field === 'name' ? undefined : missingFieldCause(field))
        : tolerated(`no ${field} (readers default it to {})`),
    );
  }
  const { version, id, flowId } = event;
  if (version !== undefined && !(typeof version === 'number' && Number.isInteger(version) && version >= 1)) {
    findings.push(failing(`version ${describeValue(version)} is not an integer ≥ 1`));
  }
  for (const [field, value] of [
    ['id', id],
    ['flowId', flowId],
  ] as const) {
    if (value !== undefined && (typeof value !== 'string' || value === '')) {
      findings.push(failing(`${field} ${describeValue(value)} is not a non-empty string`));
    }
  }
  for (const field of ['identity', 'auth', 'metadata'] as const) {
    const value = event[field];
    if (value !== undefined && !isJsonObject(value))
      findings.push(failing(`${field} ${describeValue(value)} is not an object`));
  }
  const extra = keys.filter((key) => !known.has(key));
  if (extra.length > 0) findings.push(tolerated(`extra keys ${extra.join(', ')} (readers ignore them)`));
  const order = keys.filter((key) => known.has(key));
  const expectedOrder = eventFieldNames.filter((field) => keys.includes(field));
  if (order.join() !== expectedOrder.join()) {
    findings.push(tolerated(`fields in the order ${order.join(', ')}, not ${expectedOrder.join(', ')}`));
  }
  return findings;
}

/** Unknown top-level keys of a request are ignored. */
export const unknownKeysIgnored: ConformanceCheck = {
  id: 'unknown-keys-ignored',
  rule: 'Unknown top-level keys of a request are ignored, not refused (PROTOCOL.md, The event).',
  async run(context) {
    const request = echoRequest(context, { conformanceExtra: { ignored: true } });
    const { findings } = expectEcho(await context.post({ body: bodyOf(request) }), request, { envelope: false });
    return judge(findings, 'processed with the unknown key ignored');
  },
};
