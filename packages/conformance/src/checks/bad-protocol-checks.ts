import { judge, type CheckContext, type ConformanceCheck } from '../conformance-check.js';
import { expectBadProtocol, type BadProtocolExpectation } from '../expect-protocol-error.js';
import { bodyOf, echoRequest, idsOf, withoutFields, type RequestFields } from '../request-bodies.js';
import { probeEach } from './probe-each.js';

const badProtocolRule = (what: string): string =>
  `${what} answers \`badProtocol\`, version 1, code INVALID_COMMUNICATION_PROTOCOL naming the first offending field, id/flowId copied when usable (PROTOCOL.md, Response naming).`;

/** A body that is not a request event, and what the `badProtocol` answer must name. */
interface BrokenBody {
  readonly label: string;
  readonly body: (context: CheckContext) => { text: string; expectation: BadProtocolExpectation };
}

function badProtocolCheck(
  id: string,
  what: string,
  bodies: readonly BrokenBody[],
  passDetail: string,
): ConformanceCheck {
  return {
    id,
    rule: badProtocolRule(what),
    async run(context: CheckContext) {
      const findings = await probeEach(
        context,
        bodies.map((broken) => {
          const { text, expectation } = broken.body(context);
          return {
            label: broken.label,
            request: { body: text },
            judge: (answer) => expectBadProtocol(answer, expectation),
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

/** A request with one field broken: the answer names that field and copies the usable ids. */
function brokenField(label: string, field: string, change: (request: RequestFields) => RequestFields): BrokenBody {
  return {
    label,
    body: (context) => {
      const request = change(echoRequest(context, { payload: `broken ${field}` }));
      return { text: bodyOf(request), expectation: { propertyName: field, ...idsOf(request) } };
    },
  };
}

/** Text that is not JSON. */
export const badProtocolUnparseable = badProtocolCheck(
  'bad-protocol-unparseable',
  'Text that is not JSON',
  [
    {
      label: 'truncated JSON',
      body: () => ({ text: '{"name": "conformance:echo", "version": ', expectation: { propertyName: null, ...noIds } }),
    },
    { label: 'plain text', body: () => ({ text: 'not json at all', expectation: { propertyName: null, ...noIds } }) },
    {
      label: 'an empty body',
      body: () => ({ text: '', expectation: { propertyName: null, alsoAccepted: ['name'], ...noIds } }),
    },
  ],
  'badProtocol naming no field',
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

/** `{}`: the first missing field is `name`. */
export const badProtocolEmptyObject = badProtocolCheck(
  'bad-protocol-empty-object',
  '`{}` (which names `name`)',
  [{ label: '{}', body: () => ({ text: '{}', expectation: { propertyName: 'name', ...noIds } }) }],
  'badProtocol naming name',
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
  return badProtocolCheck(
    `bad-protocol-missing-${field}`,
    `A request without \`${field}\``,
    [brokenField(`no ${field}`, field, (request) => withoutFields(request, field))],
    `badProtocol naming ${field}`,
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
