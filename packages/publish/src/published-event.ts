import { withPublishedEventDefaults, type PublishedEventFields } from '@events-protocol/core';
import { assertEventMessage, isCompleteEvent } from './event-message.js';
import type { PublishedEvent } from './sink.js';

/** What a publisher gives to create an event: everything but `name` and `payload` has a default. */
export interface PublishedEventInit<TPayload = unknown> extends PublishedEventFields {
  name: string;
  payload: TPayload;
  /** 1 by default. */
  version?: number;
}

/**
 * Creates an event to publish. Inside a server handler it carries the handled event's `flowId`,
 * so what a request caused can be followed downstream.
 *
 * @example
 * await sink.publish(createPublishedEvent({ name: 'order:placed', payload: { orderId } }));
 */
export function createPublishedEvent<TPayload>(init: PublishedEventInit<TPayload>): PublishedEvent<TPayload> {
  return withPublishedEventDefaults(init.name, init.version ?? 1, init.payload, init);
}

/**
 * A whole event as it is, or an init made into one with {@link createPublishedEvent} (a missing
 * payload is `null`): what publishers taking either (`TopicPublisher.publish`, the topics
 * package) do first, so they all check a message the same way.
 *
 * @throws {PublishError} `INVALID_EVENT` when the message is not an object with a non-empty
 * `name`, or a field it gives has the wrong type.
 */
export function toPublishedEvent(message: PublishedEvent | PublishedEventInit): PublishedEvent {
  assertEventMessage(message);
  if (isCompleteEvent(message)) return message;
  const { createdAt, payload } = message;
  return createPublishedEvent({
    ...(message as PublishedEventInit),
    payload: payload === undefined ? null : payload,
    ...(typeof createdAt === 'string' ? { createdAt: new Date(createdAt) } : {}),
  });
}
