import type { PublishedEvent } from './sink.js';
import { validateCloudEvent, type CloudEvent } from './validate-cloud-event.js';

export { validateCloudEvent, type CloudEvent } from './validate-cloud-event.js';

/** How our events become CloudEvents. */
export interface CloudEventOptions {
  /** The `source` attribute: a URI reference naming the publishing application, e.g. `/orders-service`. */
  source: string;
  /** The `subject` attribute, e.g. the topic; left out when empty. */
  subject?: string;
}

function isPresent(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}

/**
 * Converts an event to a CloudEvent 1.0: `type` is the event name, `id`, `time` (its `createdAt`)
 * and `data` (the payload) carry over, and `flowid` and `eventversion` are extension attributes.
 * Optional attributes that would be empty (`subject: ''`, an empty flowId) are left out, so the
 * result passes the official SDK's strict validation. `auth` never leaves; `identity` and
 * `metadata` are not part of CloudEvents.
 *
 * @throws {PublishError} `INVALID_EVENT` when the result would not be a valid CloudEvent (an
 * empty id or name, a `source` that is not a URI-reference, a `createdAt` that is not RFC 3339).
 */
export function toCloudEvent(event: PublishedEvent, options: CloudEventOptions): CloudEvent {
  const cloudEvent: CloudEvent = {
    specversion: '1.0',
    id: event.id,
    source: options.source,
    type: event.name,
  };
  if (isPresent(event.createdAt)) cloudEvent.time = event.createdAt;
  if (options.subject !== undefined && options.subject !== '') cloudEvent.subject = options.subject;
  cloudEvent.datacontenttype = 'application/json';
  if (event.payload !== undefined) cloudEvent.data = event.payload;
  if (isPresent(event.flowId)) cloudEvent.flowid = event.flowId;
  cloudEvent.eventversion = event.version;
  validateCloudEvent(cloudEvent);
  return cloudEvent;
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
    typeof value.eventversion === 'number' && Number.isSafeInteger(value.eventversion) && value.eventversion >= 1
      ? value.eventversion
      : 1;
  return {
    name: value.type,
    version,
    id: value.id,
    flowId: typeof value.flowid === 'string' && value.flowid !== '' ? value.flowid : value.id,
    payload: value.data ?? null,
    identity: {},
    auth: {},
    metadata: { source: value.source, ...(isPresent(value.subject) ? { subject: value.subject } : {}) },
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
    if (name === 'data' || name === 'datacontenttype' || value === undefined || value === null) continue;
    headers[`ce-${name}`] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  headers['content-type'] = cloudEvent.datacontenttype ?? 'application/json';
  return headers;
}
