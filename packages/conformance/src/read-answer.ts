import { readJson, writeJson } from '@events-protocol/core';
import { failing, type Finding } from './conformance-check.js';
import type { ProbeAnswer } from './http-probe.js';

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
  if (answer.kind === 'no-answer') return { ok: false, finding: failing(`no answer: ${answer.reason}`) };
  const status = `HTTP ${answer.status}`;
  let value: unknown;
  try {
    value = readJson(answer.text);
  } catch {
    return { ok: false, finding: failing(`${status} with a body that is not JSON: ${excerpt(answer.text)}`) };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, finding: failing(`${status} with a body that is not an event: ${excerpt(answer.text)}`) };
  }
  const event = value as Record<string, unknown>;
  if (typeof event['name'] !== 'string') {
    return { ok: false, finding: failing(`${status} with an event without a string name: ${excerpt(answer.text)}`) };
  }
  return { ok: true, event: event as AnswerEvent, text: answer.text, status: answer.status };
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
