import { responseNameFor } from '@events-protocol/core';
import { failing, type Finding } from './conformance-check.js';
import { firstDifference } from './first-difference.js';
import type { ProbeAnswer } from './http-probe.js';
import { describeValue, readAnswerEvent, type AnswerEvent } from './read-answer.js';
import type { RequestFields } from './request-bodies.js';

/** What judging an echo answer gives: the findings, and the event when there was one. */
export interface EchoJudgement {
  readonly findings: Finding[];
  readonly event: AnswerEvent | undefined;
  readonly text: string | undefined;
}

/** Which parts of an echo answer to judge beyond its name. */
export interface EchoAspects {
  /** `version`, `id` and `flowId` are the request's (default `true`). */
  readonly envelope?: boolean;
  /** The payload is the request's, unchanged; a missing one echoes as `null` (default `true`). */
  readonly payload?: boolean;
}

/**
 * Judges the answer to a request for the echo handler: `<name>:response` with the request's
 * `version`, `id` and `flowId`, and its payload unchanged.
 */
export function expectEcho(answer: ProbeAnswer, request: RequestFields, aspects: EchoAspects = {}): EchoJudgement {
  const read = readAnswerEvent(answer);
  if (!read.ok) return { findings: [read.finding], event: undefined, text: undefined };
  const { event, text } = read;
  const requestName = String(request['name']);
  const expectedName = responseNameFor(requestName);
  if (event.name !== expectedName) {
    const hint =
      event.name === 'eventNotFound'
        ? ` (is the echo handler registered as ${requestName} v${describeValue(request['version'])}?)`
        : '';
    const finding = failing(`answered ${describeValue(event.name)}, not "${expectedName}"${hint}`, successNamingCause);
    return { findings: [finding], event, text };
  }
  const findings: Finding[] = [];
  const fields = aspects.envelope === false ? [] : (['version', 'id', 'flowId'] as const);
  for (const field of fields) {
    if (event[field] === undefined) findings.push(failing(`the answer has no ${field}`, missingFieldCause(field)));
    else if (event[field] !== request[field]) {
      findings.push(
        failing(`${field} was ${describeValue(event[field])}, not the request's ${describeValue(request[field])}`),
      );
    }
  }
  const payload = request['payload'] === undefined ? null : request['payload'];
  const difference = aspects.payload === false ? undefined : firstDifference(event['payload'], payload, 'payload');
  if (difference !== undefined && event['payload'] === undefined) {
    findings.push(failing('the answer has no payload', missingFieldCause('payload')));
  } else if (difference !== undefined) {
    const { path, actual, expected } = difference;
    if (actual === undefined) findings.push(failing(`${path} is missing from the answer`));
    else if (expected === undefined) findings.push(failing(`${path} came back though it was not sent`));
    else findings.push(failing(`${path} came back as ${describeValue(actual)}, sent ${describeValue(expected)}`));
  }
  return { findings, event, text };
}

/** The fault key of a response field the answer lacks, counted by `response-fields`. */
export function missingFieldCause(field: string): string {
  return `response field missing: ${field}`;
}

/**
 * The fault key of an echo answered with another name than `<name>:response`, counted by
 * `success-naming`: a server that names its successes wrong fails that check, not every echo.
 */
export const successNamingCause = 'successes are not named <name>:response';
