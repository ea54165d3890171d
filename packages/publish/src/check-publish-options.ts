import { PublishError, PublishErrorCode } from './publish-error.js';
import { throwIfAborted } from './serialize-event.js';
import type { PublishOptions } from './sink.js';

// What HTTP allows in a header value (RFC 9110 field-value: visible characters, space, tab and
// obs-text), the rule undici enforces when it sends. CR and LF would split the header.
const headerValue = /^[\t\x20-\x7e\x80-\xff]*$/;
// A header name is a token (RFC 9110).
const headerName = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// Control characters: nothing that travels as an attribute may hold them, whatever the sink.
// eslint-disable-next-line no-control-regex
const controlCharacter = /[\x00-\x08\x0a-\x1f\x7f]/;

/** Whether a string can be sent as an HTTP header value as it is. */
export function isHeaderValue(value: string): boolean {
  return headerValue.test(value);
}

/** Whether a string can be sent as an HTTP header name. */
export function isHeaderName(name: string): boolean {
  return headerName.test(name);
}

function invalid(sink: string, message: string): PublishError {
  return new PublishError(PublishErrorCode.InvalidEvent, `${sink}: ${message}`, { sink });
}

/**
 * What every sink checks before any I/O: the publish is not cancelled, and the topic and the
 * attributes (which become headers over HTTP and fields in Redis) are strings without control
 * characters, CR and LF above all. A bad one is the caller's error: `INVALID_EVENT`, which the
 * outbox does not retry, naming the attribute but never showing its value.
 *
 * @throws {PublishError} `ABORTED` or `INVALID_EVENT`.
 */
export function checkPublishOptions(options: PublishOptions, sink: string): void {
  throwIfAborted(options.signal, sink);
  const { topic, attributes } = options;
  if (topic !== undefined && (typeof topic !== 'string' || controlCharacter.test(topic))) {
    throw invalid(sink, 'the topic must be a string without control characters (CR, LF…)');
  }
  if (attributes === undefined) return;
  for (const [key, value] of Object.entries(attributes)) {
    if (key.length === 0 || controlCharacter.test(key)) {
      throw invalid(sink, `attribute name ${JSON.stringify(key)} must be non-empty, without control characters`);
    }
    if (typeof value !== 'string' || controlCharacter.test(value)) {
      throw invalid(sink, `attribute '${key}' must be a string without control characters (CR, LF…)`);
    }
  }
}

/**
 * Checks the headers an HTTP sink is about to send, whatever they were made from (attributes,
 * the topic, CloudEvent attributes from the event's id, name or time).
 *
 * @throws {PublishError} `INVALID_EVENT` naming the first header that HTTP cannot carry.
 */
export function checkHeaders(headers: Readonly<Record<string, string>>, sink: string): void {
  for (const [name, value] of Object.entries(headers)) {
    if (!isHeaderName(name)) throw invalid(sink, `${JSON.stringify(name)} cannot be an HTTP header name`);
    if (!isHeaderValue(value)) throw invalid(sink, `header '${name}' holds characters HTTP cannot carry (CR, LF…)`);
  }
}
