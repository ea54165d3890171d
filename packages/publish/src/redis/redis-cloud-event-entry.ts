import { isUriReference } from '../cloud-event-formats.js';
import { toCloudEvent } from '../cloudevents.js';
import { PublishError, PublishErrorCode } from '../publish-error.js';
import { serializeValue } from '../serialize-event.js';
import type { PublishedEvent, PublishOptions } from '../sink.js';

/** How many entries a stream in the `cloudevent` layout keeps by default (`MAXLEN ~`). */
export const cloudEventStreamMaxLength = 10_000;

/** The fixed fields of an entry in the `cloudevent` layout, in the order they are written. */
export const cloudEventEntryFields = ['event_id', 'event_type', 'source', 'timestamp', 'cloud_event'] as const;

const fixedFields: ReadonlySet<string> = new Set(cloudEventEntryFields);

/**
 * The CloudEvents `source` the `cloudevent` layout needs, checked when the sink is made.
 *
 * @throws {PublishError} `INVALID_OPTIONS` when it is missing or not a URI-reference.
 */
export function cloudEventSourceOption(source: string | undefined): string {
  if (typeof source !== 'string' || source.length === 0 || !isUriReference(source)) {
    throw new PublishError(
      PublishErrorCode.InvalidOptions,
      `layout 'cloudevent' needs a source: a URI-reference naming the publisher, e.g. '/orders-service' (got ${JSON.stringify(source)})`,
    );
  }
  return source;
}

/**
 * The fields of one entry in the `cloudevent` layout: `event_id`, `event_type` (the event's name),
 * `source`, `timestamp` (its `createdAt`, ISO 8601), `cloud_event` (the event as a JSON CloudEvent
 * 1.0, its topic as `subject`), then each attribute under its own name.
 *
 * @throws {PublishError} `INVALID_EVENT` when the event makes no valid CloudEvent, or an attribute
 * is named like a fixed field; `SERIALIZATION_FAILED` when the payload has no JSON form.
 */
export function cloudEventEntry(
  event: PublishedEvent,
  options: PublishOptions,
  source: string,
  sink: string,
): string[] {
  const subject = options.topic === undefined ? {} : { subject: options.topic };
  const cloudEvent = toCloudEvent(event, { source, ...subject });
  const fields = [
    'event_id',
    event.id,
    'event_type',
    event.name,
    'source',
    source,
    'timestamp',
    event.createdAt,
    'cloud_event',
    serializeValue(cloudEvent, sink),
  ];
  for (const [key, value] of Object.entries(options.attributes ?? {})) {
    if (fixedFields.has(key)) {
      throw new PublishError(
        PublishErrorCode.InvalidEvent,
        `${sink}: attribute '${key}' would overwrite the entry's own '${key}' field`,
        { sink },
      );
    }
    fields.push(key, value);
  }
  return fields;
}
