import { PublishError, PublishErrorCode } from './publish-error.js';
import type { PublishedEvent } from './sink.js';

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${value}`;
  if (typeof value === 'bigint') return `bigint ${value}n`;
  return typeof value === 'object' ? 'an object' : typeof value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(message: string): PublishError {
  return new PublishError(PublishErrorCode.InvalidEvent, `not an event to publish: ${message}`);
}

/**
 * Checks what a publisher was given as a message before anything is published: an object with a
 * non-empty string `name`, and, where given, a `version` that is an integer of at least 1,
 * non-empty string `id` and `flowId`, object `identity`, `auth` and `metadata`, and a
 * `createdAt` that is a valid `Date` or timestamp string.
 *
 * @throws {PublishError} `INVALID_EVENT` naming the field.
 */
export function assertEventMessage(value: unknown): asserts value is { name: string } & Record<string, unknown> {
  if (!isPlainObject(value)) throw invalid(`the message must be an object with a name, got ${describeValue(value)}`);
  const { name, version, id, flowId, createdAt } = value;
  if (typeof name !== 'string' || name.length === 0)
    throw invalid(`the message needs a name (a non-empty string), got ${describeValue(name)}`);
  if (version !== undefined && !(typeof version === 'number' && Number.isSafeInteger(version) && version >= 1))
    throw invalid(`version must be an integer of at least 1, got ${describeValue(version)}`);
  for (const [field, text] of [
    ['id', id],
    ['flowId', flowId],
  ] as const) {
    if (text !== undefined && (typeof text !== 'string' || text.length === 0))
      throw invalid(`${field} must be a non-empty string, got ${describeValue(text)}`);
  }
  for (const field of ['identity', 'auth', 'metadata'] as const) {
    if (value[field] !== undefined && !isPlainObject(value[field]))
      throw invalid(`${field} must be an object, got ${describeValue(value[field])}`);
  }
  if (createdAt !== undefined) {
    const time =
      createdAt instanceof Date ? createdAt.getTime() : typeof createdAt === 'string' ? Date.parse(createdAt) : NaN;
    if (Number.isNaN(time))
      throw invalid(`createdAt must be a valid Date or timestamp, got ${describeValue(createdAt)}`);
  }
}

/** Whether a checked message is a whole event already (every field there), to publish as it is. */
export function isCompleteEvent(message: Record<string, unknown>): message is Record<string, unknown> & PublishedEvent {
  return (
    typeof message['version'] === 'number' &&
    typeof message['id'] === 'string' &&
    typeof message['flowId'] === 'string' &&
    message['payload'] !== undefined &&
    message['identity'] !== undefined &&
    message['auth'] !== undefined &&
    message['metadata'] !== undefined &&
    typeof message['createdAt'] === 'string'
  );
}
