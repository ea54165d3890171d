import { newEventId, writeJson, type RequestEvent } from '@events-protocol/core';
import { EventClientError, EventClientErrorCode } from './client-error.js';
import type { SendEventInit } from './client-options.js';

/**
 * The request event of a call, all eight fields set: the defaults of {@link SendEventInit}, the
 * flowId of the event being handled (`contextFlowId`) when none is given, and the client's
 * `origin` in `metadata` unless the call sets one.
 */
export function buildRequest(
  init: SendEventInit,
  origin: string | undefined,
  contextFlowId: string | undefined,
): RequestEvent {
  return {
    name: init.name,
    version: init.version ?? 1,
    id: init.id ?? newEventId(),
    flowId: init.flowId ?? contextFlowId ?? newEventId(),
    payload: init.payload ?? null,
    identity: init.identity ?? {},
    auth: init.auth ?? {},
    metadata: origin === undefined ? (init.metadata ?? {}) : { origin, ...init.metadata },
  };
}

/**
 * The request as JSON text, 64-bit integers kept.
 *
 * @throws {EventClientError} `INVALID_EVENT` when it is not serialisable (a cycle, a function).
 */
export function serialiseRequest(request: RequestEvent): string {
  try {
    return writeJson(request);
  } catch (error) {
    throw new EventClientError(
      EventClientErrorCode.InvalidEvent,
      `${request.name}: the event is not serialisable as JSON`,
      { cause: error },
    );
  }
}
