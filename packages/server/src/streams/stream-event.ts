import { readJson } from '@events-protocol/core';

/** A message's event, read once: what the processor is given, and the key that deduplicates it. */
export interface StreamEvent {
  /** The parsed event, or the raw text when it is no JSON (the processor answers `badProtocol`). */
  readonly input: unknown;
  /** `<name>\n<version>\n<id>` when the event names all three, else `undefined` (not deduplicated). */
  readonly key: string | undefined;
}

type JsonRecord = Record<string, unknown>;

function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmpty(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

/**
 * A structured-mode JSON CloudEvent 1.0 (as the `cloudevent` layouts write it) as an event:
 * `type` → `name`, `eventversion` → `version` (1 when absent), `flowid` → `flowId` (the id when
 * absent), `data` → `payload`, `source`, `subject` and `time` into `metadata`.
 */
function fromCloudEvent(cloudEvent: JsonRecord): JsonRecord {
  const version = cloudEvent.eventversion;
  const metadata: JsonRecord = { source: cloudEvent.source };
  if (nonEmpty(cloudEvent.subject)) metadata.subject = cloudEvent.subject;
  if (nonEmpty(cloudEvent.time)) metadata.createdAt = cloudEvent.time;
  return {
    name: cloudEvent.type,
    version: typeof version === 'number' && Number.isSafeInteger(version) && version >= 1 ? version : 1,
    id: cloudEvent.id,
    flowId: nonEmpty(cloudEvent.flowid) ? cloudEvent.flowid : cloudEvent.id,
    payload: cloudEvent.data ?? null,
    identity: {},
    auth: {},
    metadata,
  };
}

function isCloudEvent(value: JsonRecord): boolean {
  return typeof value.specversion === 'string' && nonEmpty(value.type) && !('name' in value);
}

/**
 * Reads a message's text as the event it carries: an events-protocol event as the sinks write it
 * (64-bit integers kept exact), or a JSON CloudEvent, turned into the event it was made from.
 * Never throws: text that is no event goes to the processor as it is, which answers `badProtocol`.
 */
export function readStreamEvent(body: string): StreamEvent {
  let value: unknown;
  try {
    value = readJson(body);
  } catch {
    return { input: body, key: undefined };
  }
  if (!isRecord(value)) return { input: value, key: undefined };
  const event = isCloudEvent(value) ? fromCloudEvent(value) : value;
  const { name, version, id } = event;
  const key = nonEmpty(name) && typeof version === 'number' && nonEmpty(id) ? `${name}\n${version}\n${id}` : undefined;
  return { input: event, key };
}
