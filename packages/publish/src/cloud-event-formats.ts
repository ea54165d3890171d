// The string formats CloudEvents 1.0 gives its attributes, read exactly as the official
// JavaScript SDK reads them (its JSON Schema formats), so that an event is valid here exactly when
// it is valid there. The grammar is RFC 3986 Appendix A; where the SDK is more lenient than the
// RFC, we are too, and say so.

const unreserved = 'a-z0-9\\-._~';
const subDelims = "!$&'()*+,;=";
const percentEncoded = '%[0-9a-f]{2}';

const h16 = '[0-9a-f]{1,4}';
const decOctet = '(?:25[0-5]|2[0-4]\\d|[01]?\\d\\d?)'; // leading zeros pass, as in the SDK
const ipv4 = `(?:${decOctet}\\.){3}${decOctet}`;
const ls32 = `(?:${h16}:${h16}|${ipv4})`;
const ipv6 = [
  `(?:${h16}:){6}${ls32}`,
  `::(?:${h16}:){5}${ls32}`,
  `(?:${h16})?::(?:${h16}:){4}${ls32}`,
  `(?:(?:${h16}:){0,1}${h16})?::(?:${h16}:){3}${ls32}`,
  `(?:(?:${h16}:){0,2}${h16})?::(?:${h16}:){2}${ls32}`,
  `(?:(?:${h16}:){0,3}${h16})?::${h16}:${ls32}`,
  `(?:(?:${h16}:){0,4}${h16})?::${ls32}`,
  `(?:(?:${h16}:){0,5}${h16})?::${h16}`,
  `(?:(?:${h16}:){0,6}${h16})?::`,
].join('|');
const ipvFuture = `v[0-9a-f]+\\.[${unreserved}${subDelims}:]+`;
const ipLiteral = `\\[(?:${ipv6}|${ipvFuture})\\]`;
const userinfo = `(?:[${unreserved}${subDelims}:]|${percentEncoded})*`;
const scheme = '[a-z][a-z0-9+\\-.]*:';

/**
 * A URI (reference) pattern. `quote` lets `"` into host names, paths, queries and fragments, as
 * the SDK's URI-reference pattern does (RFC 3986 does not). Like the SDK, both patterns take a
 * `:` in the first segment of a relative path and a single `/` before an authority.
 */
function uriPattern(options: { schemeRequired: boolean; pathRequired: boolean; quote: boolean }): RegExp {
  const quote = options.quote ? '"' : '';
  const regName = `(?:[${unreserved}${subDelims}${quote}]|${percentEncoded})*`;
  const pchar = `(?:[${unreserved}${subDelims}${quote}:@]|${percentEncoded})`;
  const host = `(?:${ipLiteral}|${ipv4}|${regName})`;
  const withAuthority = `\\/?\\/(?:${userinfo}@)?${host}(?::\\d*)?(?:\\/${pchar}*)*`;
  const absolute = `\\/(?:${pchar}+(?:\\/${pchar}*)*)?`;
  const rootless = `${pchar}+(?:\\/${pchar}*)*`;
  const tail = `(?:[${unreserved}${subDelims}${quote}:@\\/?]|${percentEncoded})*`;
  const path = `(?:${withAuthority}|${absolute}|${rootless})${options.pathRequired ? '' : '?'}`;
  const prefix = options.schemeRequired ? scheme : `(?:${scheme})?`;
  return new RegExp(`^${prefix}${path}(?:\\?${tail})?(?:#${tail})?$`, 'i');
}

const uriReference = uriPattern({ schemeRequired: false, pathRequired: false, quote: true });
const absoluteUri = uriPattern({ schemeRequired: true, pathRequired: true, quote: false });

/** Whether a string is a URI-reference (the `source` attribute), e.g. `/orders`, `urn:x`, `https://a/b`. */
export function isUriReference(text: string): boolean {
  return uriReference.test(text);
}

/** Whether a string is an absolute URI (the `dataschema` attribute), e.g. `https://example.com/schema`. */
export function isAbsoluteUri(text: string): boolean {
  return absoluteUri.test(text);
}

const fullDate = /^(\d\d\d\d)-(\d\d)-(\d\d)$/;
const fullTime = /^(\d\d):(\d\d):(\d\d)(\.\d+)?(z|[+-]\d\d(?::?\d\d)?)?$/i;
const daysInMonth = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

function isDate(text: string): boolean {
  const [, year, month, day] = fullDate.exec(text)?.map(Number) ?? [];
  if (year === undefined || month === undefined || day === undefined) return false;
  const last = month === 2 && isLeapYear(year) ? 29 : (daysInMonth[month] ?? 0);
  return month >= 1 && month <= 12 && day >= 1 && day <= last;
}

function isTime(text: string): boolean {
  const match = fullTime.exec(text);
  if (match === null) return false;
  const [hour, minute, second] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return (hour <= 23 && minute <= 59 && second <= 59) || (hour === 23 && minute === 59 && second === 60);
}

/**
 * Whether a string is an RFC 3339 timestamp (the `time` attribute) as the SDK reads one: a date
 * that exists, `T` (or `t`, or a space), a time (`23:59:60` too), and an offset (`Z`, `+01:00`),
 * which the SDK also takes as `+0100` or `+01`, or leaves out.
 */
export function isTimestamp(text: string): boolean {
  const parts = text.split(/t|\s/i);
  return parts.length === 2 && isDate(parts[0] ?? '') && isTime(parts[1] ?? '');
}
