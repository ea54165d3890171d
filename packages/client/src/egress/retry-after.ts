// The three HTTP-date forms of RFC 9110 §5.6.7: IMF-fixdate, the obsolete RFC 850 form, asctime.
const imfFixdate =
  /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;
const rfc850Date =
  /^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), \d{2}-(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)-\d{2} \d{2}:\d{2}:\d{2} GMT$/;
const asctimeDate =
  /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ \d]\d \d{2}:\d{2}:\d{2} \d{4}$/;

/** The statuses whose `Retry-After` says when to try again (RFC 9110 §10.2.3). */
export const retryAfterStatuses: ReadonlySet<number> = new Set([429, 503]);

/**
 * The wait a `Retry-After` value asks for, in ms from `nowMs`: delta-seconds (`120`) or an
 * HTTP-date (a date past is 0). `undefined` for a missing or malformed value, which a caller
 * should ignore as RFC 9110 says.
 */
export function parseRetryAfter(value: string | readonly string[] | undefined, nowMs: number): number | undefined {
  const text = (typeof value === 'string' ? value : value?.[0])?.trim();
  if (text === undefined || text === '') return undefined;
  if (/^\d+$/.test(text)) {
    const seconds = Number(text);
    return Number.isSafeInteger(seconds * 1000) ? seconds * 1000 : undefined;
  }
  if (!(imfFixdate.test(text) || rfc850Date.test(text) || asctimeDate.test(text))) return undefined;
  // asctime carries no zone: it is GMT, which Date.parse would not assume.
  const at = Date.parse(asctimeDate.test(text) ? `${text} GMT` : text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/** `Retry-After` of a 429 or 503 response, in ms; `undefined` for other statuses or no usable value. */
export function retryAfterOf(
  status: number,
  headers: Readonly<Record<string, string | readonly string[] | undefined>>,
  nowMs: number,
): number | undefined {
  return retryAfterStatuses.has(status) ? parseRetryAfter(headers['retry-after'], nowMs) : undefined;
}
