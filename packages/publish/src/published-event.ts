import { currentEventContext, newEventId, useEventContext, type JsonObject } from '@events-protocol/core';
import type { PublishedEvent } from './sink.js';

/** What a publisher gives to create an event: everything but `name` and `payload` has a default. */
export interface PublishedEventInit<TPayload = unknown> {
  name: string;
  payload: TPayload;
  /** 1 by default. */
  version?: number;
  /** A new UUID by default: the deduplication key downstream. */
  id?: string;
  /** The flowId of the event being handled, if any, else a new UUID. */
  flowId?: string;
  identity?: JsonObject;
  auth?: JsonObject;
  metadata?: JsonObject;
  /** Now by default. */
  createdAt?: Date;
}

/**
 * Creates an event to publish. Inside a server handler it carries the handled event's `flowId`,
 * so what a request caused can be followed downstream.
 *
 * @example
 * await sink.publish(createPublishedEvent({ name: 'order:placed', payload: { orderId } }));
 */
export function createPublishedEvent<TPayload>(init: PublishedEventInit<TPayload>): PublishedEvent<TPayload> {
  useEventContext();
  return {
    name: init.name,
    version: init.version ?? 1,
    id: init.id ?? newEventId(),
    flowId: init.flowId ?? currentEventContext()?.event.flowId ?? newEventId(),
    payload: init.payload,
    identity: init.identity ?? {},
    auth: init.auth ?? {},
    metadata: init.metadata ?? {},
    createdAt: (init.createdAt ?? new Date()).toISOString(),
  };
}

/**
 * A ready event as it is, or an init made into one with {@link createPublishedEvent}: what
 * publishers taking either (`TopicPublisher.publish`) do first.
 */
export function toPublishedEvent(message: PublishedEvent | PublishedEventInit): PublishedEvent {
  const ready = typeof (message as Partial<PublishedEvent>).createdAt === 'string' && typeof message.id === 'string';
  return ready ? (message as PublishedEvent) : createPublishedEvent(message as PublishedEventInit);
}
