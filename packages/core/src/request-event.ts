import { z } from 'zod';
import { eventFields, lenientEventFields, type EventEnvelope } from './event-envelope.js';

/**
 * A request event read strictly: all eight keys present (`payload` may be `null`). Unknown keys
 * are dropped.
 */
export const strictRequestEventSchema = z.object(eventFields);

/**
 * A request event read leniently, as our server does by default: missing `identity`, `auth` and
 * `metadata` become `{}` and a missing `payload` becomes `null`. When present they must be
 * objects; `name`, `version`, `id` and `flowId` are always required.
 */
export const requestEventSchema = z.object({
  ...eventFields,
  ...lenientEventFields,
});

/**
 * An event asking for an operation: `name` and `version` select the handler, `payload` is its
 * input. Generic over the payload type, which contracts make precise.
 */
export type RequestEvent<TPayload = unknown> = EventEnvelope<TPayload>;

/** What reading an untrusted value as a request event gives. */
export type RequestEventReadResult =
  | { readonly ok: true; readonly event: RequestEvent }
  | {
      readonly ok: false;
      /** The first offending field in wire order; absent when the value is not an object. */
      readonly propertyName: string | undefined;
      /** The value's `id`/`flowId` when they were usable strings, to echo on the answer. */
      readonly id: string | undefined;
      readonly flowId: string | undefined;
    };

/**
 * Reads an untrusted, already-parsed JSON value as a request event, naming the first offending
 * field when it is not one. Never throws.
 */
export function readRequestEvent(value: unknown, options?: { strict?: boolean }): RequestEventReadResult {
  const strict = options?.strict === true;
  const event = readWellFormedEvent(value, strict, true);
  if (event !== undefined) return { ok: true, event };
  // Anything unusual goes through the schema, which also names the offending field.
  const result = (strict ? strictRequestEventSchema : requestEventSchema).safeParse(value);
  if (result.success) return { ok: true, event: result.data };
  const firstPath = result.error.issues[0]?.path[0];
  const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
  const fields = isObject ? (value as Record<string, unknown>) : undefined;
  return {
    ok: false,
    propertyName: isObject && typeof firstPath === 'string' ? firstPath : undefined,
    id: usableString(fields?.['id']),
    flowId: usableString(fields?.['flowId']),
  };
}

/**
 * {@link readRequestEvent} for a value its caller has just parsed from text and nobody else holds
 * (what `readJson` returns): `identity`, `auth` and `metadata` are taken as they are instead of
 * copied when they are ordinary objects the schema would read unchanged, which saves three
 * objects per event. The result is equal to what {@link readRequestEvent} gives; only a value
 * someone else may still change needs the copies. Never throws.
 */
export function readParsedRequestEvent(value: unknown, options?: { strict?: boolean }): RequestEventReadResult {
  const event = readWellFormedEvent(value, options?.strict === true, false);
  return event === undefined ? readRequestEvent(value, options) : { ok: true, event };
}

function usableString(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/**
 * The hot path of {@link readRequestEvent}: the same decision as the schemas for the events that
 * arrive every second, without their per-field machinery (a property test holds the two equal).
 * Returns `undefined` whenever the schema has to decide.
 */
function readWellFormedEvent(value: unknown, strict: boolean, copy: boolean): RequestEvent | undefined {
  if (!isPlainObject(value)) return undefined;
  const { name, version, id, flowId, payload, identity, auth, metadata } = value;
  if (typeof name !== 'string' || name.length === 0) return undefined;
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 1) return undefined;
  if (typeof id !== 'string' || id.length === 0) return undefined;
  if (typeof flowId !== 'string' || flowId.length === 0) return undefined;
  if (strict && (payload === undefined || identity === undefined || auth === undefined || metadata === undefined)) {
    return undefined;
  }
  const readIdentity = readObjectField(identity, copy);
  const readAuth = readObjectField(auth, copy);
  const readMetadata = readObjectField(metadata, copy);
  if (readIdentity === undefined || readAuth === undefined || readMetadata === undefined) return undefined;
  return {
    name,
    version,
    id,
    flowId,
    payload: payload === undefined ? null : payload,
    identity: readIdentity,
    auth: readAuth,
    metadata: readMetadata,
  };
}

/**
 * An object field as the schema reads it: absent is `{}`, `__proto__` keys are dropped. Without
 * `copy`, an ordinary object that needs no change is returned as it is.
 */
function readObjectField(field: unknown, copy: boolean): Record<string, unknown> | undefined {
  if (field === undefined) return {};
  if (typeof field !== 'object' || field === null) return undefined;
  // Read once: each look at a prototype is a call into the runtime.
  const prototype: unknown = Object.getPrototypeOf(field);
  if (prototype !== Object.prototype && prototype !== null) return undefined;
  const record = field as Record<string, unknown>;
  if (!Object.hasOwn(record, '__proto__')) return copy || prototype === null ? { ...record } : record;
  const withoutProto: Record<string, unknown> = {};
  for (const key of Object.keys(record)) if (key !== '__proto__') withoutProto[key] = record[key];
  return withoutProto;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
