import { JsonValueError, writeStrictJson, type JsonPathSegment } from '@events-protocol/core';
import { PublishError, PublishErrorCode } from './publish-error.js';
import type { PublishedEvent } from './sink.js';

/**
 * Which of an event's confidential fields leave the process with it. Both are off by default: the
 * event then goes out with `identity: {}` and `auth: {}`, so readers that require all eight
 * fields still read it.
 */
export interface OutgoingFields {
  /** Send the event's `identity` (who acts); only where the publisher opts in. */
  identity?: boolean;
  /**
   * Send the event's `auth` (credentials and tokens). Only `EventsProtocolSink` with
   * `forwardAuth: true` sets it: a service calling its own backend on its caller's behalf.
   */
  auth?: boolean;
}

/** How {@link serializeEvent} writes an event. */
export interface SerializeEventOptions extends OutgoingFields {
  /** More top-level fields, written after the event's own (a file's `topic` and `attributes`). */
  extra?: Readonly<Record<string, unknown>>;
}

/**
 * The event as it leaves the process: its nine fields in protocol order and nothing else (a
 * property a caller added to the object stays home), `identity` and `auth` emptied unless
 * `fields` lets them out. Every sink writes what this returns.
 */
export function outgoingEvent(event: PublishedEvent, fields: OutgoingFields = {}): PublishedEvent {
  return {
    name: event.name,
    version: event.version,
    id: event.id,
    flowId: event.flowId,
    payload: event.payload,
    identity: fields.identity === true ? event.identity : {},
    auth: fields.auth === true ? event.auth : {},
    metadata: event.metadata,
    createdAt: event.createdAt,
  };
}

/**
 * Writes an event as JSON once per publish, as it leaves the process ({@link outgoingEvent}):
 * `auth` and `identity` only when `options` lets them out, 64-bit integers exact. What JSON cannot
 * carry as it is (a function, a symbol, a cycle, `undefined` in an array, NaN, Infinity, a Map) is
 * a `SERIALIZATION_FAILED` rejection naming its path (`payload.items[2]`), never a value dropped
 * or changed on the way.
 *
 * @example
 * const body = serializeEvent(event, 'webhooks', { identity: subscription.includeIdentity });
 *
 * @throws {PublishError} `SERIALIZATION_FAILED`.
 */
export function serializeEvent(event: PublishedEvent, sink: string, options: SerializeEventOptions = {}): string {
  const outgoing = outgoingEvent(event, options);
  return serializeValue(options.extra === undefined ? outgoing : { ...outgoing, ...options.extra }, sink);
}

/**
 * Writes any value a sink sends (a CloudEvent, a payload alone) with the same refusals as
 * {@link serializeEvent}; `root` is where the value sits, for the path in the message.
 *
 * @throws {PublishError} `SERIALIZATION_FAILED`.
 */
export function serializeValue(value: unknown, sink: string, root: readonly JsonPathSegment[] = []): string {
  try {
    return writeStrictJson(value);
  } catch (error) {
    const detail =
      error instanceof JsonValueError
        ? new JsonValueError([...root, ...error.path], error.reason).message
        : (error as Error).message;
    throw new PublishError(PublishErrorCode.SerializationFailed, `${sink}: the event cannot be sent: ${detail}`, {
      cause: error,
      sink,
    });
  }
}

/** Rejects at once when the caller's signal has already cancelled the publish. */
export function throwIfAborted(signal: AbortSignal | undefined, sink: string): void {
  if (signal?.aborted === true) {
    throw new PublishError(PublishErrorCode.Aborted, `${sink}: publish cancelled`, { cause: signal.reason, sink });
  }
}
