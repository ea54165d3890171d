import { PublishError, PublishErrorCode } from './publish-error.js';
import type { PublishedEvent } from './sink.js';

/** A CloudEvent 1.0 as JSON (structured mode), with our extension attributes. */
export interface CloudEvent {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  time?: string;
  datacontenttype?: string;
  subject?: string;
  data?: unknown;
  /** Extension: the event's flowId. */
  flowid?: string;
  /** Extension: the event's version. */
  eventversion?: number;
  [extension: string]: unknown;
}

/** How our events become CloudEvents. */
export interface CloudEventOptions {
  /** The `source` attribute: a URI reference naming the publishing application, e.g. `/orders-service`. */
  source: string;
  /** The `subject` attribute, e.g. the topic. */
  subject?: string;
}

/**
 * Converts an event to a CloudEvent 1.0: `type` is the event name, `id`, `time` (its `createdAt`)
 * and `data` (the payload) carry over, and `flowid` and `eventversion` are extension attributes.
 * `auth` never leaves; `identity` and `metadata` are not part of CloudEvents.
 */
export function toCloudEvent(event: PublishedEvent, options: CloudEventOptions): CloudEvent {
  const cloudEvent: CloudEvent = {
    specversion: '1.0',
    id: event.id,
    source: options.source,
    type: event.name,
    time: event.createdAt,
    datacontenttype: 'application/json',
    data: event.payload,
    flowid: event.flowId,
    eventversion: event.version,
  };
  if (options.subject !== undefined) cloudEvent.subject = options.subject;
  validateCloudEvent(cloudEvent);
  return cloudEvent;
}

const extensionName = /^[a-z0-9]{1,20}$/;

/**
 * Checks the attributes CloudEvents 1.0 requires (`specversion` 1.0, non-empty `id`, `source`,
 * `type`) and the form of the optional ones (`time` RFC 3339, extension names lowercase
 * alphanumeric).
 *
 * @throws {PublishError} `INVALID_EVENT` naming the attribute.
 */
export function validateCloudEvent(value: unknown): asserts value is CloudEvent {
  const fail = (message: string): never => {
    throw new PublishError(PublishErrorCode.InvalidEvent, `not a CloudEvent 1.0: ${message}`);
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('not an object');
  const event = value as Record<string, unknown>;
  if (event['specversion'] !== '1.0') fail(`specversion must be "1.0", got ${JSON.stringify(event['specversion'])}`);
  for (const attribute of ['id', 'source', 'type']) {
    const field = event[attribute];
    if (typeof field !== 'string' || field.length === 0) fail(`${attribute} must be a non-empty string`);
  }
  const time = event['time'];
  if (time !== undefined && (typeof time !== 'string' || Number.isNaN(Date.parse(time))))
    fail('time must be an RFC 3339 timestamp');
  for (const name of Object.keys(event)) {
    if (!extensionName.test(name) && name !== 'data_base64')
      fail(`attribute name '${name}' must be lowercase letters and digits`);
  }
}

/**
 * Converts a CloudEvent back to an event: `type` → `name`, `data` → `payload`, `eventversion` →
 * `version` (1 when absent), `flowid` → `flowId` (the id when absent), `time` → `createdAt`.
 *
 * @throws {PublishError} `INVALID_EVENT` when the value is not a valid CloudEvent.
 */
export function fromCloudEvent(value: unknown): PublishedEvent {
  validateCloudEvent(value);
  const version =
    typeof value.eventversion === 'number' && Number.isSafeInteger(value.eventversion) ? value.eventversion : 1;
  return {
    name: value.type,
    version,
    id: value.id,
    flowId: typeof value.flowid === 'string' ? value.flowid : value.id,
    payload: value.data ?? null,
    identity: {},
    auth: {},
    metadata: { source: value.source, ...(value.subject === undefined ? {} : { subject: value.subject }) },
    createdAt: value.time ?? new Date().toISOString(),
  };
}

/**
 * The HTTP headers of a CloudEvent in binary mode: every attribute but `data` as `ce-<name>`,
 * `content-type` from `datacontenttype`. The body is the data alone.
 */
export function cloudEventHeaders(cloudEvent: CloudEvent): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(cloudEvent)) {
    if (name === 'data' || name === 'datacontenttype' || value === undefined) continue;
    headers[`ce-${name}`] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  headers['content-type'] = cloudEvent.datacontenttype ?? 'application/json';
  return headers;
}
