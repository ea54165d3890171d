import { writeJson } from '@events-protocol/core';
import { PublishError, PublishErrorCode } from './publish-error.js';

/**
 * Writes an event (or any value) as JSON once per publish, 64-bit integers exact. What JSON
 * cannot hold is a `SERIALIZATION_FAILED` rejection, never a silently dropped event.
 */
export function serializeEvent(value: unknown, sink: string): string {
  try {
    const text = writeJson(value) as string | undefined;
    if (text === undefined) throw new TypeError('the value has no JSON form');
    return text;
  } catch (error) {
    throw new PublishError(PublishErrorCode.SerializationFailed, `${sink}: the event cannot be written as JSON`, {
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
