import { z } from 'zod';
import { eventFields, jsonObjectSchema, type EventEnvelope } from './event-envelope.js';

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
  payload: z
    .unknown()
    .optional()
    .transform((value) => (value === undefined ? null : value)),
  identity: jsonObjectSchema.default(() => ({})),
  auth: jsonObjectSchema.default(() => ({})),
  metadata: jsonObjectSchema.default(() => ({})),
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
  const schema = options?.strict === true ? strictRequestEventSchema : requestEventSchema;
  const result = schema.safeParse(value);
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

function usableString(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
