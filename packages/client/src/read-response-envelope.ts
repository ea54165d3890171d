import {
  readResponseEvent,
  type JsonObject,
  type ResponseEvent,
  type ResponseEventDefaults,
} from '@events-protocol/core';

/** A JSON object as JSON text reads one, that core's record schema would copy unchanged. */
function isPlainRecord(value: unknown): value is JsonObject {
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.getPrototypeOf(value) === Object.prototype &&
    // The schema drops an own `__proto__` key: such an object is left to it.
    !Object.hasOwn(value, '__proto__')
  );
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

/**
 * The answer as a response event when it has all eight fields of the right types (what our server
 * and the reference implementations write), checked by hand; `undefined` for anything else, which
 * is then left to the schema. It accepts only values the schema accepts, and gives what it gives.
 */
function completeResponseEvent(value: unknown): ResponseEvent | undefined {
  if (typeof value !== 'object' || value === null || Object.getPrototypeOf(value) !== Object.prototype)
    return undefined;
  const { name, version, id, flowId, payload, identity, auth, metadata } = value as Record<string, unknown>;
  if (
    isNonEmptyString(name) &&
    typeof version === 'number' &&
    Number.isSafeInteger(version) &&
    version >= 1 &&
    isNonEmptyString(id) &&
    isNonEmptyString(flowId) &&
    payload !== undefined &&
    isPlainRecord(identity) &&
    isPlainRecord(auth) &&
    isPlainRecord(metadata)
  ) {
    return { name, version, id, flowId, payload, identity, auth, metadata };
  }
  return undefined;
}

/**
 * Reads a parsed answer as a response event, strictly, as core's `readResponseEvent` does
 * (omissions of other implementations filled from the request, `undefined` for what is not a
 * response event), without running the schema on the common case: an answer with all eight
 * fields of the right types is checked by hand. Both ways accept and refuse the same values and
 * give equal events.
 */
export function readResponseEnvelope(value: unknown, defaults: ResponseEventDefaults): ResponseEvent | undefined {
  return completeResponseEvent(value) ?? readResponseEvent(value, defaults);
}
