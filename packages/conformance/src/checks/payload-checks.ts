import { judge, type CheckContext, type ConformanceCheck } from '../conformance-check.js';
import { expectEcho } from '../expect-echo.js';
import { noEventCause, ProbeShape } from '../probe-shapes.js';
import { bodyOf, echoRequest } from '../request-bodies.js';
import { probeEach } from './probe-each.js';

/** One payload to echo, and how its request text is written. */
export interface EchoSample {
  readonly label: string;
  readonly payload: unknown;
  /** Rewrites the request's JSON text (e.g. to escape characters); unchanged by default. */
  readonly encode?: (body: string) => string;
  /** `application/json` by default. */
  readonly contentType?: string;
  /** The request's shape when other checks send it too. */
  readonly shape?: string;
}

/** A check that sends each payload to the echo handler and expects it back unchanged. */
export function payloadEcho(
  id: string,
  rule: string,
  samples: readonly EchoSample[],
  passDetail: string,
  owns?: readonly string[],
): ConformanceCheck {
  return {
    id,
    rule,
    ...(owns === undefined ? {} : { owns }),
    async run(context: CheckContext) {
      const findings = await probeEach(
        context,
        samples.map((sample) => {
          const request = echoRequest(context, { payload: sample.payload });
          const body = bodyOf(request);
          return {
            label: sample.label,
            request: {
              body: sample.encode === undefined ? body : sample.encode(body),
              ...(sample.contentType === undefined ? {} : { contentType: sample.contentType }),
              ...(sample.shape === undefined ? {} : { shape: sample.shape }),
            },
            judge: (answer) => expectEcho(answer, request, { envelope: false }).findings,
          };
        }),
      );
      return judge(findings, passDetail);
    },
  };
}

const echoRule = "The echo handler's payload, any JSON value, comes back exactly as sent (PROTOCOL.md, The event).";

/** Objects, nested, with every JSON type inside. */
export const echoPayloadObject = payloadEcho(
  'echo-payload-object',
  echoRule,
  [
    {
      label: 'a nested object',
      payload: {
        text: 'a',
        count: 3,
        ratio: 1.5,
        negative: -7,
        zero: 0,
        flag: false,
        none: null,
        list: [1, { deep: [true] }],
      },
    },
    { label: 'an empty object', payload: {} },
  ],
  'nested objects echoed exactly',
);

/** Arrays as the whole payload. */
export const echoPayloadArray = payloadEcho(
  'echo-payload-array',
  echoRule,
  [
    { label: 'a mixed array', payload: [1, 'two', { three: 3 }, [4], null, false] },
    { label: 'an empty array', payload: [] },
  ],
  'arrays echoed exactly',
);

/** `null` and the scalars as the whole payload. */
export const echoPayloadScalars = payloadEcho(
  'echo-payload-scalars',
  echoRule,
  [
    { label: 'null', payload: null, shape: ProbeShape.NullPayload },
    { label: 'a string', payload: 'text' },
    { label: 'an integer', payload: 42 },
    { label: 'a fraction', payload: 0.1 },
    { label: 'an exponent', payload: 1.5e-7 },
    { label: 'true', payload: true },
    { label: 'false', payload: false },
  ],
  'null, strings, numbers and booleans echoed exactly',
  [noEventCause(ProbeShape.NullPayload)],
);

const unicodeText = 'é ß 日本語 Ω — 😀 𝄞 🇫🇷 "quoted" back\\slash /slash tab\t newline\n \u0000 \u001f \u2028 \u2029';
const unicodePayload = { 'ключ 😀': unicodeText, list: ['𝄞', '\u{10FFFF}'] };

/** Every non-ASCII character written as a `\u` escape (astral ones as surrogate pairs). */
function escapeNonAscii(text: string): string {
  return text.replace(/[\u007f-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Unicode beyond the BMP, control characters and escapes, sent raw and escaped. */
export const echoPayloadUnicode = payloadEcho(
  'echo-payload-unicode',
  'Strings come back with every character, astral ones (escaped as surrogate pairs), control characters and escapes included (PROTOCOL.md, Numbers and text).',
  [
    // Sent as ASCII, so this check judges characters and escapes; decoding raw UTF-8 is the
    // utf8-with-charset and utf8-without-charset checks' rule.
    { label: '\\u escapes', payload: unicodePayload, encode: escapeNonAscii },
  ],
  'astral characters, escapes and control characters echoed exactly',
);

const utf8Payload = { text: 'grüße, 日本語, emoji 😀 𝄞 🇫🇷 \u{10FFFF}', 'ключ 😀': 'ключ' };

/** UTF-8 bodies whose content type names the charset. */
export const utf8WithCharset = payloadEcho(
  'utf8-with-charset',
  'Bodies are UTF-8 JSON, `application/json; charset=utf-8` (PROTOCOL.md, HTTP transport).',
  [{ label: 'charset=utf-8', payload: utf8Payload, contentType: 'application/json; charset=utf-8' }],
  'UTF-8 read and written back',
);

/** UTF-8 bodies whose content type names no charset. */
export const utf8WithoutCharset = payloadEcho(
  'utf8-without-charset',
  'Text is UTF-8 whether or not the request names a charset (PROTOCOL.md, Numbers and text).',
  [{ label: 'no charset', payload: utf8Payload, contentType: 'application/json' }],
  'UTF-8 read without a charset and written back',
);

/** 64-bit integers, beyond ±2^53, keep every digit. */
export const bigIntegers = payloadEcho(
  'big-integers',
  'Integers outside ±2^53 in a payload come back with all their digits, as numbers (PROTOCOL.md, Numbers and text).',
  [
    {
      label: '64-bit integers',
      payload: {
        jvmId: 65484548474984654n,
        max: 9223372036854775807n,
        min: -9223372036854775808n,
        list: [9007199254740993n, -9007199254740993n],
      },
    },
  ],
  'every digit kept',
);
