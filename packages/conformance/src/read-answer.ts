import { readJson, writeJson } from '@events-protocol/core';
import { failing, type Finding } from './conformance-check.js';
import type { ProbeAnswer } from './http-probe.js';
import { noEventCause } from './probe-shapes.js';

/** An answer body read as a JSON object with a string `name`: the least a response event is. */
export type AnswerEvent = Record<string, unknown> & { readonly name: string };

/** What reading an answer as a response event gives: the event, or the failing finding. */
export type AnswerRead =
  | { readonly ok: true; readonly event: AnswerEvent; readonly text: string; readonly status: number }
  | { readonly ok: false; readonly finding: Finding };

/**
 * Reads an answer's body as a response event (64-bit integers as `bigint`), failing when there was
 * no answer, the body is not JSON, not an object, or has no string `name`.
 */
export function readAnswerEvent(answer: ProbeAnswer): AnswerRead {
  if (answer.kind !== 'answered') return { ok: false, finding: missingAnswer(answer) };
  const status = `HTTP ${answer.status}`;
  const notAnEvent = (what: string): AnswerRead => ({
    ok: false,
    finding: failing(`${status} with ${what}: ${excerpt(answer.text)}`, answerCause(answer)),
  });
  let value: unknown;
  try {
    value = readJson(answer.text);
  } catch {
    return notAnEvent('a body that is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return notAnEvent('a body that is not an event');
  const event = value as Record<string, unknown>;
  if (typeof event['name'] !== 'string') return notAnEvent('an event without a string name');
  return { ok: true, event: event as AnswerEvent, text: answer.text, status: answer.status };
}

/**
 * The failing finding for a request that got no HTTP answer, telling a server that could not be
 * reached from one that took the request and said nothing.
 */
export function missingAnswer(answer: Exclude<ProbeAnswer, { kind: 'answered' }>): Finding {
  const message = answer.kind === 'unreachable' ? `unreachable: ${answer.reason}` : answer.reason;
  return failing(message, answerCause(answer));
}

/** The fault key of a missing, unreadable or wrongly named answer to a request of a known shape. */
export function answerCause(answer: ProbeAnswer): string | undefined {
  return answer.shape === undefined ? undefined : noEventCause(answer.shape);
}

const maxExcerpt = 80;

/** A short, single-line rendering of a value for a detail: JSON, cut at 80 characters. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'missing';
  return excerpt(writeJson(value));
}

/** Text cut to a detail's length, on one line. */
export function excerpt(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  if (line === '') return '(empty)';
  return line.length > maxExcerpt ? `${line.slice(0, maxExcerpt - 1)}…` : line;
}

/** Whether a value is a JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
