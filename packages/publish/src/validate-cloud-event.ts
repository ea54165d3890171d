import { isAbsoluteUri, isTimestamp, isUriReference } from './cloud-event-formats.js';
import { PublishError, PublishErrorCode } from './publish-error.js';

/**
 * A CloudEvent 1.0 as JSON (structured mode), with our extension attributes. An optional
 * attribute that is `null` is absent, as the JSON format says.
 */
export interface CloudEvent {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  time?: string | null;
  datacontenttype?: string | null;
  dataschema?: string | null;
  subject?: string | null;
  data?: unknown;
  /** Extension: the event's flowId. */
  flowid?: string;
  /** Extension: the event's version. */
  eventversion?: number;
  [extension: string]: unknown;
}

/** Attributes with a meaning of their own: the rest are extensions. */
const attributes = new Set([
  'specversion',
  'id',
  'source',
  'type',
  'time',
  'datacontenttype',
  'dataschema',
  'subject',
  'data',
  'data_base64',
  // CloudEvents 0.3 names the SDK reads in any event.
  'schemaurl',
  'datacontentencoding',
]);
const attributeName = /^[a-z0-9]+$/;

function fail(message: string): never {
  throw new PublishError(PublishErrorCode.InvalidEvent, `not a CloudEvent 1.0: ${message}`);
}

function isObjectLike(value: unknown): boolean {
  return typeof value === 'object'; // `null` too: an absent extension
}

/** An extension value the CloudEvents type system has: boolean, integer, string, binary, timestamp. */
function isExtensionValue(value: unknown): boolean {
  return (
    typeof value === 'boolean' ||
    typeof value === 'string' ||
    Number.isInteger(value) ||
    // As the SDK: `null` (absent), a Date or bytes, and (more lenient than the spec) any object.
    isObjectLike(value)
  );
}

function checkRequired(event: Record<string, unknown>, name: string, format?: (text: string) => boolean): void {
  const value = event[name];
  if (value === undefined) fail(`${name} is required`);
  if (typeof value !== 'string' || value.length === 0) fail(`${name} must be a non-empty string`);
  if (format !== undefined && !format(value)) fail(`${name} must be a URI-reference, got ${JSON.stringify(value)}`);
}

function checkOptional(event: Record<string, unknown>, name: string, format?: (text: string) => boolean): void {
  const value = event[name];
  if (value === undefined || value === null) return;
  if (typeof value !== 'string' || value.length === 0) fail(`${name} must be a non-empty string when present`);
  if (format !== undefined && !format(value)) fail(`${name} is not well formed: ${JSON.stringify(value)}`);
}

function checkData(event: Record<string, unknown>): void {
  const { data, data_base64: base64 } = event;
  const json = typeof data === 'object' || typeof data === 'string' || typeof data === 'boolean';
  if (data !== undefined && !json && !(typeof data === 'number' && Number.isFinite(data)))
    fail('data must be a JSON value');
  if (base64 === undefined || base64 === null) return;
  if (typeof base64 !== 'string') fail('data_base64 must be a string');
  try {
    if (base64 !== '') atob(base64);
  } catch (error) {
    throw new PublishError(PublishErrorCode.InvalidEvent, 'not a CloudEvent 1.0: data_base64 is not base64', {
      cause: error,
    });
  }
}

/**
 * Checks a CloudEvent 1.0 exactly as the official JavaScript SDK (`cloudevents`) does in strict
 * mode: `specversion` "1.0"; `id`, `source` (a URI-reference) and `type` non-empty strings;
 * `time` (RFC 3339), `datacontenttype`, `dataschema` (an absolute URI) and `subject` non-empty
 * strings or absent (`null` is absent); attribute names lowercase letters and digits (longer
 * than 20 characters too: the spec only advises against them); extension values booleans,
 * integers, strings, `null` (absent) or, as the SDK lets them through, objects.
 *
 * @throws {PublishError} `INVALID_EVENT` naming the attribute.
 */
export function validateCloudEvent(value: unknown): asserts value is CloudEvent {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('not an object');
  const event = value as Record<string, unknown>;
  if (event['specversion'] !== '1.0') fail(`specversion must be "1.0", got ${JSON.stringify(event['specversion'])}`);
  checkRequired(event, 'id');
  checkRequired(event, 'source', isUriReference);
  checkRequired(event, 'type');
  checkOptional(event, 'datacontenttype');
  checkOptional(event, 'dataschema', isAbsoluteUri);
  checkOptional(event, 'subject');
  checkOptional(event, 'time', isTimestamp);
  checkData(event);
  if (event['schemaurl']) fail('schemaurl is a CloudEvents 0.3 attribute; 1.0 calls it dataschema');
  for (const [name, extension] of Object.entries(event)) {
    if (!attributeName.test(name) && name !== 'data_base64')
      fail(`attribute name '${name}' must be lowercase letters and digits`);
    if (!attributes.has(name) && !isExtensionValue(extension))
      fail(
        `extension '${name}' must be a boolean, an integer or a string, got ${typeof extension} ${String(extension)}`,
      );
  }
}
