import {
  badProtocolArray,
  badProtocolEmptyName,
  badProtocolFirstField,
  badProtocolInvalidVersion,
  badProtocolMissing,
  badProtocolMistyped,
  badProtocolScalar,
  badProtocolUnparseable,
} from './checks/bad-protocol-checks.js';
import {
  authNotEchoed,
  identityNotEchoed,
  lenientMissingAuth,
  lenientMissingIdentity,
  lenientMissingMetadata,
  lenientMissingPayload,
} from './checks/context-checks.js';
import { eventNotFoundName, eventNotFoundVersion } from './checks/not-found-checks.js';
import {
  bigIntegers,
  echoPayloadArray,
  echoPayloadObject,
  echoPayloadScalars,
  echoPayloadUnicode,
  utf8WithCharset,
  utf8WithoutCharset,
} from './checks/payload-checks.js';
import { protocolErrorIds, protocolErrorVersion } from './checks/protocol-error-checks.js';
import { echoEnvelope, responseFields, successNaming, unknownKeysIgnored } from './checks/success-checks.js';
import { contentTypeJson, errorPayloadShape, httpStatus200, trailingSlashRoute } from './checks/transport-checks.js';
import type { ConformanceCheck } from './conformance-check.js';
import { ConformanceError, ConformanceErrorCode } from './conformance-error.js';

/**
 * Every check of the kit, in the order a report lists them: success and echo, payloads, context,
 * leniency, the shape of error payloads, unknown events, `badProtocol` field by field, what every
 * protocol error carries, then the HTTP transport. Filter it to run a subset.
 *
 * @example
 * const checks = conformanceChecks.filter((check) => check.id.startsWith('bad-protocol-'));
 */
export const conformanceChecks: readonly ConformanceCheck[] = Object.freeze([
  successNaming,
  responseFields,
  echoEnvelope,
  echoPayloadObject,
  echoPayloadArray,
  echoPayloadScalars,
  echoPayloadUnicode,
  utf8WithCharset,
  utf8WithoutCharset,
  bigIntegers,
  authNotEchoed,
  identityNotEchoed,
  unknownKeysIgnored,
  lenientMissingIdentity,
  lenientMissingAuth,
  lenientMissingMetadata,
  lenientMissingPayload,
  errorPayloadShape,
  eventNotFoundName,
  eventNotFoundVersion,
  badProtocolUnparseable,
  badProtocolArray,
  badProtocolScalar,
  badProtocolMissing('name'),
  badProtocolMistyped('name'),
  badProtocolEmptyName,
  badProtocolMissing('version'),
  badProtocolMistyped('version'),
  badProtocolInvalidVersion,
  badProtocolMissing('id'),
  badProtocolMistyped('id'),
  badProtocolMissing('flowId'),
  badProtocolMistyped('flowId'),
  badProtocolMistyped('identity'),
  badProtocolMistyped('auth'),
  badProtocolMistyped('metadata'),
  badProtocolFirstField,
  protocolErrorVersion,
  protocolErrorIds,
  httpStatus200,
  contentTypeJson,
  trailingSlashRoute,
]);

/**
 * The checks with the given ids, in the kit's order.
 *
 * @throws {ConformanceError} `UNKNOWN_CHECK` when an id names no check.
 */
export function selectChecks(ids: readonly string[]): readonly ConformanceCheck[] {
  const known = new Set(conformanceChecks.map((check) => check.id));
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw new ConformanceError(
      ConformanceErrorCode.UnknownCheck,
      `unknown check ${unknown.join(', ')}; known: ${[...known].join(', ')}`,
    );
  }
  return conformanceChecks.filter((check) => ids.includes(check.id));
}
