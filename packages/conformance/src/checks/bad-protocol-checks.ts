import { EventMessageCode } from '@events-protocol/core';
import { judge, type CheckContext, type ConformanceCheck } from '../conformance-check.js';
import { expectBadProtocol, type BadProtocolExpectation } from '../expect-protocol-error.js';
import { missingFieldShape, noEventCause, ProbeShape } from '../probe-shapes.js';
import { bodyOf, echoRequest, idsOf, withoutFields, type RequestFields } from '../request-bodies.js';
import { probeEach } from './probe-each.js';

const badProtocolRule = (what: string): string =>
  `${what} answers \`badProtocol\`, code INVALID_COMMUNICATION_PROTOCOL, naming the first offending field in propertyName (PROTOCOL.md, Protocol errors).`;

/** A body that is not a request event, and what the `badProtocol` answer must name. */
interface BrokenBody {
  readonly label: string;
  readonly body: (context: CheckContext) => { text: string; expectation: BadProtocolExpectation };
  /** The request's shape when other checks send it too. */
  readonly shape?: string;
}

// The answer's version and ids have checks of their own (protocol-error-version, -ids).
const aspects = { version: false, ids: false } as const;

function badProtocolCheck(
  id: string,
  what: string,
  bodies: readonly BrokenBody[],
  passDetail: string,
  owns?: readonly string[],
): ConformanceCheck {
  return {
    id,
    rule: badProtocolRule(what),
    ...(owns === undefined ? {} : { owns }),
    async run(context: CheckContext) {
      const findings = await probeEach(
        context,
        bodies.map((broken) => {
          const { text, expectation } = broken.body(context);
          return {
            label: broken.label,
            request: { body: text, ...(broken.shape === undefined ? {} : { shape: broken.shape }) },
            judge: (answer) => expectBadProtocol(answer, expectation, aspects),
          };
        }),
      );
      return judge(findings, passDetail);
    },
  };
}

const noIds = { id: undefined, flowId: undefined } as const;

/** A body that is not an object: it names no field, or (tolerated silently) `name`. */
function notAnObject(label: string, text: (context: CheckContext) => string): BrokenBody {
  return {
    label,
    body: (context) => ({ text: text(context), expectation: { propertyName: null, alsoAccepted: ['name'], ...noIds } }),
  };
}

/** A request with fields broken by `change`: the answer names `field`. */
function brokenField(
  label: string,
  field: string,
  change: (request: RequestFields) => RequestFields,
  shape?: string,
): BrokenBody {
  return {
    label,
    body: (context) => {
      const request = change(echoRequest(context));
      return { text: bodyOf(request), expectation: { propertyName: field, ...idsOf(request) } };
    },
    ...(shape === undefined ? {} : { shape }),
  };
}

/** Truncated JSON: the text other checks send as their unparseable request. */
export const notJsonText = '{"name": "conformance:echo", "version": ';

/** Text that is not JSON. */
export const badProtocolUnparseable = badProtocolCheck(
  'bad-protocol-unparseable',
  'Text that is not JSON',
  [
    {
      label: 'truncated JSON',
      body: () => ({ text: notJsonText, expectation: { propertyName: null, ...noIds } }),
      shape: ProbeShape.NotJson,
    },
    { label: 'plain text', body: () => ({ text: 'not json at all', expectation: { propertyName: null, ...noIds } }) },
    {
      label: 'an empty body',
      body: () => ({ text: '', expectation: { propertyName: null, alsoAccepted: ['name'], ...noIds } }),
    },
  ],
  'badProtocol naming no field',
  [noEventCause(ProbeShape.NotJson), `wrong code for ${EventMessageCode.InvalidCommunicationProtocol}`],
);

/** A JSON array holding a valid event. */
export const badProtocolArray = badProtocolCheck(
  'bad-protocol-array',
  'A JSON array, even one holding a valid event,',
  [notAnObject('an array', (context) => `[${bodyOf(echoRequest(context))}]`)],
  'badProtocol for an array',
);

/** JSON scalars. */
export const badProtocolScalar = badProtocolCheck(
  'bad-protocol-scalar',
  'A JSON value that is not an object (null, a number, a string)',
  [notAnObject('null', () => 'null'), notAnObject('a number', () => '42'), notAnObject('a string', () => '"event"')],
  'badProtocol for null, a number and a string',
);

/** The fields a check breaks one at a time. */
export type BreakableField = 'name' | 'version' | 'id' | 'flowId' | 'identity' | 'auth' | 'metadata';

// Wrong types no JSON binder coerces (an object for a string, a word for an integer), so the
// checks judge the protocol rule, not a library's coercion settings.
const wrongValues: Readonly<Record<BreakableField, unknown>> = {
  name: { value: 'conformance:echo' },
  version: 'one',
  id: { value: 'id' },
  flowId: ['flow'],
  identity: 'someone',
  auth: ['token'],
  metadata: 42,
};

/** A request without one of the always-required fields. */
export function badProtocolMissing(field: 'name' | 'version' | 'id' | 'flowId'): ConformanceCheck {
  const shape = missingFieldShape(field);
  return badProtocolCheck(
    `bad-protocol-missing-${field}`,
    `A request without \`${field}\``,
    [brokenField(`no ${field}`, field, (request) => withoutFields(request, field), shape)],
    `badProtocol naming ${field}`,
    [noEventCause(shape)],
  );
}

/** A request with one field of the wrong type (`identity`, `auth`, `metadata`: not an object). */
export function badProtocolMistyped(field: BreakableField): ConformanceCheck {
  const wrong = JSON.stringify(wrongValues[field]);
  const objectField = field === 'identity' || field === 'auth' || field === 'metadata';
  return badProtocolCheck(
    objectField ? `bad-protocol-${field}-not-object` : `bad-protocol-mistyped-${field}`,
    `A request whose \`${field}\` ${objectField ? 'is not an object' : 'has the wrong type'} (here ${wrong})`,
    [brokenField(`${field} ${wrong}`, field, (request) => ({ ...request, [field]: wrongValues[field] }))],
    `badProtocol naming ${field}`,
  );
}

/** A request whose `name` is the empty string. */
export const badProtocolEmptyName = badProtocolCheck(
  'bad-protocol-empty-name',
  'A request whose `name` is the empty string',
  [brokenField('name ""', 'name', (request) => ({ ...request, name: '' }))],
  'badProtocol naming name',
);

// Written into the JSON text as is, so 1e309 (beyond a double) reaches the server as sent. A reader
// may refuse a number beyond its range as unparseable (RFC 8259, section 6): naming no field is
// accepted for that one.
const invalidVersions: readonly (readonly [string, readonly null[]])[] = [
  ['0', []],
  ['-1', []],
  ['1.5', []],
  ['"1"', []],
  ['1e309', [null]],
];

/** Versions that are numbers, or look like them, but are not integers ≥ 1. */
export const badProtocolInvalidVersion = badProtocolCheck(
  'bad-protocol-invalid-version',
  'A request whose `version` is not an integer ≥ 1 (0, -1, 1.5, "1", 1e309)',
  invalidVersions.map(([text, alsoAccepted]) => ({
    label: `version ${text}`,
    // A reader that refuses 1e309 treats the text as unparseable: a hang-up there is that fault.
    ...(alsoAccepted.length > 0 ? { shape: ProbeShape.NotJson } : {}),
    body: (context: CheckContext) => {
      const request = echoRequest(context, { version: 1 });
      const json = bodyOf(request).replace(/"version":1(?=,)/, `"version":${text}`);
      return { text: json, expectation: { propertyName: 'version', alsoAccepted, ...idsOf(request) } };
    },
  })),
  'badProtocol naming version for 0, -1, 1.5, "1" and 1e309',
);

/** Several fields broken at once: the answer names the first in wire order. */
export const badProtocolFirstField = badProtocolCheck(
  'bad-protocol-first-field',
  'A request with several offending fields (`{}`; version, id and metadata)',
  [
    { label: '{}', body: () => ({ text: '{}', expectation: { propertyName: 'name', ...noIds } }) },
    brokenField('version "one", no id, metadata 42', 'version', (request) => ({
      ...withoutFields(request, 'id'),
      version: 'one',
      metadata: 42,
    })),
  ],
  'badProtocol naming the first offending field in wire order',
);
