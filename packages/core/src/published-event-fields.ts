import type { EventEnvelope, JsonObject } from './event-envelope.js';
import { newEventId } from './event-builder.js';
import { currentEventContext, useEventContext } from './flow-context.js';

/** The fields of a published event besides `name`, `version` and `payload`, all with defaults. */
export interface PublishedEventFields {
  /** A new UUID by default: the deduplication key downstream. */
  id?: string;
  /** The flowId of the event being handled, if any, else a new UUID. */
  flowId?: string;
  /** Who acted; `{}` by default. Leaves the process only where a sink opts in. */
  identity?: JsonObject;
  /** Credentials; `{}` by default. Never leaves the process through a sink. */
  auth?: JsonObject;
  /** Free context (`origin`, …); `{}` by default. */
  metadata?: JsonObject;
  /** Now by default. */
  createdAt?: Date;
}

/** A published event: the protocol's eight fields, its name and payload typed, plus the time it was created. */
export interface TypedPublishedEvent<
  TName extends string = string,
  TPayload = unknown,
> extends EventEnvelope<TPayload> {
  name: TName;
  /** When the event was created, as an ISO-8601 timestamp. */
  createdAt: string;
}

/**
 * The one place a published event's defaults are filled in: a new id, the flowId of the event
 * being handled (else a new one), `{}` for identity, auth and metadata, and now as `createdAt`.
 * Contracts (`definePublishedEvent`) and the publish package's `createPublishedEvent` both make
 * their events with it, after their own checks.
 */
export function withPublishedEventDefaults<TName extends string, TPayload>(
  name: TName,
  version: number,
  payload: TPayload,
  fields: PublishedEventFields,
): TypedPublishedEvent<TName, TPayload> {
  useEventContext();
  return {
    name,
    version,
    id: fields.id ?? newEventId(),
    flowId: fields.flowId ?? currentEventContext()?.event.flowId ?? newEventId(),
    payload,
    identity: fields.identity ?? {},
    auth: fields.auth ?? {},
    metadata: fields.metadata ?? {},
    createdAt: (fields.createdAt ?? new Date()).toISOString(),
  };
}
