import { writeStrictJson } from '@events-protocol/core';
import {
  PublishError,
  PublishErrorCode,
  serializeEvent,
  toCloudEvent,
  type PublishedEvent,
  type PublishOptions,
} from '@events-protocol/publish';
import { headers as natsHeaders, type MsgHdrs } from '@nats-io/nats-core';

/** The header prefix of a published event's attributes: `x-event-attribute-<key>`, as over HTTP. */
export const natsAttributeHeaderPrefix = 'x-event-attribute-';

/** How a {@link JetStreamSink} writes each message. */
export interface JetStreamMessageFormat {
  readonly sink: string;
  /** `event`: the event as JSON; `cloudevent`: a structured JSON CloudEvent 1.0 from `source`. */
  readonly cloudEventSource: string | undefined;
  readonly includeIdentity: boolean;
}

/** One message of the sink: its body and its headers (the message id is set by the publish). */
export interface JetStreamMessage {
  readonly data: string;
  readonly headers: MsgHdrs;
}

// A header name is a token; NATS also ends a name at `:` and forbids whitespace in it.
const attributeName = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

function invalid(sink: string, message: string): PublishError {
  return new PublishError(PublishErrorCode.InvalidEvent, `${sink}: ${message}`, { sink });
}

/**
 * The message an event becomes. The body is the event as JSON (its nine fields, `auth` never and
 * `identity` only when allowed, 64-bit integers exact) or, in CloudEvents mode, a JSON CloudEvent
 * with the topic as `subject`. Headers: `content-type`, `x-event-name`, `x-event-version`, and each
 * attribute as `x-event-attribute-<key>` (NATS trims header values).
 *
 * @throws {PublishError} `SERIALIZATION_FAILED` for a payload JSON cannot carry; `INVALID_EVENT`
 * for an attribute name NATS cannot carry as a header, or an event no CloudEvent can be made of.
 */
export function jetStreamMessage(
  event: PublishedEvent,
  options: PublishOptions,
  format: JetStreamMessageFormat,
): JetStreamMessage {
  const { sink, cloudEventSource } = format;
  const headers = natsHeaders();
  let data: string;
  if (cloudEventSource === undefined) {
    data = serializeEvent(event, sink, { identity: format.includeIdentity });
    headers.set('content-type', 'application/json; charset=utf-8');
  } else {
    const cloudEvent = toCloudEvent(event, {
      source: cloudEventSource,
      ...(options.topic === undefined ? {} : { subject: options.topic }),
    });
    try {
      data = writeStrictJson(cloudEvent);
    } catch (error) {
      throw new PublishError(
        PublishErrorCode.SerializationFailed,
        `${sink}: the event cannot be sent: ${(error as Error).message}`,
        { cause: error, sink },
      );
    }
    headers.set('content-type', 'application/cloudevents+json; charset=utf-8');
  }
  headers.set('x-event-name', event.name);
  headers.set('x-event-version', String(event.version));
  for (const [key, value] of Object.entries(options.attributes ?? {})) {
    if (!attributeName.test(key)) throw invalid(sink, `attribute name ${JSON.stringify(key)} cannot be a NATS header`);
    headers.set(`${natsAttributeHeaderPrefix}${key}`, value);
  }
  return { data, headers };
}
