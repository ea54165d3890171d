import { randomBytes } from 'node:crypto';
import {
  failing,
  judge,
  tolerated,
  type CheckContext,
  type ConformanceCheck,
  type Finding,
} from '../conformance-check.js';
import { expectEcho } from '../expect-echo.js';
import { describeValue, isJsonObject, readAnswerEvent } from '../read-answer.js';
import { ProbeShape } from '../probe-shapes.js';
import { bodyOf, echoRequest, withoutFields } from '../request-bodies.js';

/** A check that the request's `identity` or `auth` never comes back, anywhere in the answer. */
function notEchoed(field: 'identity' | 'auth', key: string): ConformanceCheck {
  return {
    id: `${field}-not-echoed`,
    rule: `The request's \`${field}\` is never echoed back: it may hold tokens (PROTOCOL.md, The event).`,
    async run(context: CheckContext) {
      const secret = `conformance-${field}-${randomBytes(12).toString('hex')}`;
      const request = echoRequest(context, { [field]: { [key]: secret } });
      const read = readAnswerEvent(await context.post({ body: bodyOf(request) }));
      if (!read.ok) return judge([read.finding], '');
      const answered = read.event[field];
      const findings: Finding[] = [];
      if (read.text.includes(secret)) findings.push(failing(`the request's ${field}.${key} appears in the answer`));
      else if (!isJsonObject(answered) || Object.keys(answered).length > 0) {
        findings.push(tolerated(`${field} was ${describeValue(answered)}, expected {}`));
      }
      return judge(findings, `not echoed; the answer's ${field} is {}`);
    },
  };
}

/** The request's credentials are not echoed. */
export const authNotEchoed = notEchoed('auth', 'token');

/** The request's identity is not echoed. */
export const identityNotEchoed = notEchoed('identity', 'userId');

/** A check that a request without `field` is processed (lenient) or refused naming it (strict). */
function lenientOmission(field: 'identity' | 'auth' | 'metadata' | 'payload'): ConformanceCheck {
  const meaning = field === 'payload' ? 'null' : '{}';
  return {
    id: `lenient-missing-${field}`,
    rule: `A request without \`${field}\` is read as \`${meaning}\` by a lenient server; a strict one may refuse it with badProtocol (PROTOCOL.md, The event).`,
    async run(context: CheckContext) {
      const request = withoutFields(echoRequest(context), field);
      // Without a payload the request reads as one with a null payload: the same fault, if any.
      const shape = field === 'payload' ? { shape: ProbeShape.NullPayload } : {};
      const answer = await context.post({ body: bodyOf(request), ...shape });
      const { findings, event } = expectEcho(answer, request, { envelope: false });
      if (event?.name === 'badProtocol') {
        const payload = event['payload'];
        const parameters = isJsonObject(payload) && isJsonObject(payload['parameters']) ? payload['parameters'] : {};
        const named = parameters['propertyName'] ?? parameters['missingProperty'];
        if (named === field) return judge([tolerated(`refused with badProtocol naming ${field}: a strict server`)], '');
        return judge([failing(`refused with badProtocol naming ${describeValue(named)}, not ${field}`)], '');
      }
      return judge(findings, `processed, ${field} read as ${meaning}`);
    },
  };
}

/** Lenient reading of a request without identity. */
export const lenientMissingIdentity = lenientOmission('identity');
/** Lenient reading of a request without auth. */
export const lenientMissingAuth = lenientOmission('auth');
/** Lenient reading of a request without metadata. */
export const lenientMissingMetadata = lenientOmission('metadata');
/** Lenient reading of a request without payload. */
export const lenientMissingPayload = lenientOmission('payload');
