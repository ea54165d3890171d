import { isDeepStrictEqual } from 'node:util';
import { writeJson } from '@events-protocol/core';
import type { PublishedEvent, PublishOptions } from '../sink.js';

/** One published event as recorded, with the options it was published with. */
export interface RecordedEvent {
  readonly event: PublishedEvent;
  readonly options: PublishOptions;
}

/**
 * What a {@link RecordingSink} assertion expects of one event: `name`, and `version` (1 when left
 * out), are always compared; every other field is compared only when given (`payload`, `id`,
 * `flowId`, `identity`, `auth`, `metadata`, `createdAt`, and the `topic` and `attributes` it was
 * published with), so generated ids and timestamps are ignored unless the test names them.
 */
export type ExpectedEvent = Partial<PublishedEvent> & {
  name: string;
  topic?: string;
  attributes?: Readonly<Record<string, string>>;
};

/** The fields an expectation may name, in the order failure messages show them. */
const optionalFields = [
  'topic',
  'attributes',
  'payload',
  'id',
  'flowId',
  'identity',
  'auth',
  'metadata',
  'createdAt',
] as const;
type OptionalField = (typeof optionalFields)[number];

function valueOf(recorded: RecordedEvent, field: OptionalField): unknown {
  if (field === 'topic') return recorded.options.topic;
  if (field === 'attributes') return recorded.options.attributes;
  return recorded.event[field];
}

/** Whether a recorded event is the one expected. */
export function matchesExpectation(recorded: RecordedEvent, expected: ExpectedEvent): boolean {
  if (recorded.event.name !== expected.name || recorded.event.version !== (expected.version ?? 1)) return false;
  return optionalFields.every(
    (field) => expected[field] === undefined || isDeepStrictEqual(valueOf(recorded, field), expected[field]),
  );
}

/** The optional fields any of the expectations names: what failure messages show of each event. */
export function fieldsNamed(expected: readonly ExpectedEvent[]): OptionalField[] {
  return optionalFields.filter(
    (field) => field === 'topic' || field === 'payload' || expected.some((each) => each[field] !== undefined),
  );
}

/** An expectation as one line of JSON. */
export function describeExpected(expected: ExpectedEvent): string {
  const shown: Record<string, unknown> = { name: expected.name, version: expected.version ?? 1 };
  for (const field of optionalFields) if (expected[field] !== undefined) shown[field] = expected[field];
  return writeJson(shown);
}

/** A recorded event as one line of JSON, with the fields the expectations name. */
export function describeRecorded(recorded: RecordedEvent, fields: readonly OptionalField[]): string {
  const shown: Record<string, unknown> = { name: recorded.event.name, version: recorded.event.version };
  for (const field of fields) {
    const value = valueOf(recorded, field);
    if (value !== undefined) shown[field] = value;
  }
  return writeJson(shown);
}

/** A numbered list, one event a line, or `nothing`. */
export function numbered(lines: readonly string[]): string {
  return lines.length === 0 ? ' nothing' : `\n${lines.map((line, index) => `  ${index + 1}. ${line}`).join('\n')}`;
}
