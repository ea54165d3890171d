import { EventErrorType, EventMessageCode } from '@events-protocol/core';
import { failing, tolerated, type Finding } from './conformance-check.js';
import type { ProbeAnswer } from './http-probe.js';
import { missingFieldCause } from './expect-echo.js';
import { answerCause, describeValue, isJsonObject, readAnswerEvent, type AnswerEvent } from './read-answer.js';

/** What a `badProtocol` answer must say. */
export interface BadProtocolExpectation {
  /** The field the answer names; `null` when it names none (text that is not JSON). */
  readonly propertyName: string | null;
  /**
   * Also accepted without a warning: e.g. `name` for a body that is not an object, or `null` (no
   * field named) for a number beyond a reader's range, which it may refuse as unparseable.
   */
  readonly alsoAccepted?: readonly (string | null)[];
  /** The request's usable `id`/`flowId`, which the answer copies; otherwise it has new ones. */
  readonly id: string | undefined;
  readonly flowId: string | undefined;
}

/**
 * Which parts of a protocol error answer to judge beyond its name, code and parameters. The
 * built-in checks leave each part to the one check of its rule (`protocol-error-version`,
 * `protocol-error-ids`), so a server that breaks it fails there only.
 */
export interface ProtocolErrorAspects {
  /** The answer's `version` is 1 (default `true`). */
  readonly version?: boolean;
  /** The answer copies usable `id`/`flowId`, or has new UUIDs (default `true`). */
  readonly ids?: boolean;
}

/**
 * Judges a `badProtocol` answer: version 1, code `INVALID_COMMUNICATION_PROTOCOL`, the offending
 * field in `propertyName` (the older `missingProperty` is tolerated), `id`/`flowId` copied.
 */
export function expectBadProtocol(
  answer: ProbeAnswer,
  expectation: BadProtocolExpectation,
  aspects: ProtocolErrorAspects = {},
): Finding[] {
  const read = readAnswerEvent(answer);
  if (!read.ok) return [read.finding];
  const { event } = read;
  if (event.name !== EventErrorType.BadProtocol)
    return [failing(`answered ${describeValue(event.name)}, not "badProtocol"`, answerCause(answer))];
  const findings = [
    ...(aspects.version === false ? [] : expectVersionOne(event)),
    ...(aspects.ids === false ? [] : expectIds(event, expectation)),
  ];
  const parameters = expectCode(event, EventMessageCode.InvalidCommunicationProtocol, findings);
  if (parameters === undefined) return findings;
  let named = parameters['propertyName'];
  if (named === undefined && parameters['missingProperty'] !== undefined) {
    named = parameters['missingProperty'];
    findings.push(tolerated('names the field in the older key missingProperty (readers accept both)'));
  }
  const expected = expectation.propertyName;
  if (typeof named === 'string' && expectation.alsoAccepted?.includes(named) === true) return findings;
  if (named === undefined && expectation.alsoAccepted?.includes(null) === true) return findings;
  if (expected === null) {
    if (named !== undefined) findings.push(tolerated(`names ${describeValue(named)} though the text names no field`));
  } else if (named === undefined) {
    findings.push(failing(`names no field, expected propertyName "${expected}"`));
  } else if (named !== expected) {
    findings.push(failing(`propertyName was ${describeValue(named)}, expected "${expected}"`));
  }
  return findings;
}

/** What an `eventNotFound` answer must say. */
export interface EventNotFoundExpectation {
  readonly event: string;
  readonly version: number;
  readonly id: string;
  readonly flowId: string;
}

/**
 * Judges an `eventNotFound` answer: version 1, code `NO_EVENT_HANDLER_FOUND` with the request's
 * `event` and `version`, `id`/`flowId` copied. The `<name>:notFound` (`EVENT_NOT_FOUND`) that some
 * implementations send instead is tolerated with a warning.
 */
export function expectEventNotFound(
  answer: ProbeAnswer,
  expectation: EventNotFoundExpectation,
  aspects: ProtocolErrorAspects = {},
): Finding[] {
  const read = readAnswerEvent(answer);
  if (!read.ok) return [read.finding];
  const { event } = read;
  const findings = aspects.ids === false ? [] : expectIds(event, expectation);
  if (event.name === `${expectation.event}:${EventErrorType.NotFound}`) {
    findings.push(tolerated(`answered the tolerated "${event.name}" instead of "eventNotFound"`));
    expectCode(event, undefined, findings);
    return findings;
  }
  if (event.name !== EventErrorType.EventNotFound)
    return [failing(`answered ${describeValue(event.name)}, not "eventNotFound"`, answerCause(answer))];
  if (aspects.version !== false) findings.push(...expectVersionOne(event));
  const parameters = expectCode(event, EventMessageCode.NoEventHandlerFound, findings);
  if (parameters === undefined) return findings;
  for (const key of ['event', 'version'] as const) {
    if (parameters[key] !== expectation[key]) {
      findings.push(
        failing(`parameters.${key} was ${describeValue(parameters[key])}, expected ${describeValue(expectation[key])}`),
      );
    }
  }
  return findings;
}

/**
 * Checks an error payload's shape, `{ code, parameters }`, and its code when one is expected.
 * Returns the parameters when they are an object.
 */
export function expectCode(
  event: AnswerEvent,
  code: string | undefined,
  findings: Finding[],
): Record<string, unknown> | undefined {
  const payload = event['payload'];
  if (!isJsonObject(payload) || typeof payload['code'] !== 'string') {
    findings.push(failing(`error payload ${describeValue(payload)} is not {code, parameters}`, errorPayloadCause));
    return undefined;
  }
  if (code !== undefined && payload['code'] !== code) {
    findings.push(failing(`code was ${describeValue(payload['code'])}, expected "${code}"`, `wrong code for ${code}`));
  }
  const parameters = payload['parameters'];
  if (parameters === undefined) {
    findings.push(tolerated('error payload has no parameters (readers default them to {})'));
    return {};
  }
  if (!isJsonObject(parameters)) {
    findings.push(
      failing(`error payload parameters ${describeValue(parameters)} are not an object`, errorPayloadCause),
    );
    return undefined;
  }
  return parameters;
}

/** The fault key of an error payload that is not `{code, parameters}`, counted by `error-payload-shape`. */
export const errorPayloadCause = 'error payload is not {code, parameters}';

/** An `eventNotFound` or `badProtocol` answer has version 1, whatever the request's. */
export function expectVersionOne(event: AnswerEvent): Finding[] {
  return event['version'] === 1 ? [] : [failing(`version was ${describeValue(event['version'])}, expected 1`)];
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The answer copies the request's usable `id`/`flowId`; new UUIDs (a warning otherwise) when there were none. */
export function expectIds(
  event: AnswerEvent,
  expected: { id: string | undefined; flowId: string | undefined },
): Finding[] {
  const findings: Finding[] = [];
  for (const field of ['id', 'flowId'] as const) {
    const value = event[field];
    const wanted = expected[field];
    if (value === undefined) findings.push(failing(`the answer has no ${field}`, missingFieldCause(field)));
    else if (wanted !== undefined) {
      if (value !== wanted)
        findings.push(failing(`${field} was ${describeValue(value)}, not the request's "${wanted}"`));
    } else if (typeof value !== 'string' || !uuidPattern.test(value)) {
      findings.push(tolerated(`${field} was ${describeValue(value)}, expected a new UUID`));
    }
  }
  return findings;
}
