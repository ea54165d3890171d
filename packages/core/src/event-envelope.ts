import { z } from 'zod';

/** A JSON object as it appears in `identity`, `auth` and `metadata`. */
export type JsonObject = Record<string, unknown>;

/** A JSON object; `__proto__` keys are dropped, so reading one never touches a prototype. */
export const jsonObjectSchema = z.record(z.string(), z.unknown());

/** The eight fields of every event, request or response, in wire order (PROTOCOL.md). */
export const eventFields = {
  name: z.string().min(1),
  version: z.number().int().min(1),
  id: z.string().min(1),
  flowId: z.string().min(1),
  payload: z.unknown(),
  identity: jsonObjectSchema,
  auth: jsonObjectSchema,
  metadata: jsonObjectSchema,
};

/**
 * The four fields a lenient reader tolerates missing (PROTOCOL.md), for requests and responses
 * alike: a missing `payload` becomes `null`, missing `identity`, `auth` and `metadata` become `{}`.
 * When present, the three must be objects.
 */
export const lenientEventFields = {
  payload: z
    .unknown()
    .optional()
    .transform((value) => (value === undefined ? null : value)),
  identity: jsonObjectSchema.default(() => ({})),
  auth: jsonObjectSchema.default(() => ({})),
  metadata: jsonObjectSchema.default(() => ({})),
};

/** The field names of an event in wire order. */
export const eventFieldNames = Object.keys(eventFields) as readonly (keyof typeof eventFields)[];

/** The shape shared by request and response events. */
export interface EventEnvelope<TPayload = unknown> {
  name: string;
  version: number;
  id: string;
  flowId: string;
  payload: TPayload;
  identity: JsonObject;
  auth: JsonObject;
  metadata: JsonObject;
}
