import { z } from 'zod';
import type { StandardJsonSchemaConverter } from './standard-schema.js';

/** A JSON Schema document (draft 2020-12) as zod writes it. */
export type JsonSchema = Record<string, unknown>;

/** Which side of a schema a JSON Schema describes: what callers write, or what they read. */
export type JsonSchemaSide = 'input' | 'output';

/**
 * The JSON Schema of a contract's schema, from what its validator offers: zod (classic and
 * `zod/mini`) through `z.toJSONSchema` (types JSON Schema cannot express become `{}`), then the
 * Standard JSON Schema converter `~standard.jsonSchema` (arktype, and others as they add it).
 * A validator that offers none (valibot, without its converter) gives a schema that accepts
 * anything and says why in `$comment`, so discovery still lists the event.
 */
export function schemaJsonSchema(schema: unknown, side: JsonSchemaSide): JsonSchema {
  if (typeof schema === 'object' && schema !== null && '_zod' in schema) {
    return z.toJSONSchema(schema as unknown as z.ZodType, { io: side, unrepresentable: 'any' });
  }
  const props = (schema as { '~standard'?: { vendor?: unknown; jsonSchema?: StandardJsonSchemaConverter } } | null)?.[
    '~standard'
  ];
  const converter = props?.jsonSchema;
  if (converter !== undefined && typeof converter[side] === 'function') {
    try {
      return converter[side]({ target: 'draft-2020-12' });
    } catch {
      // The converter refused this schema: it holds a type JSON Schema cannot express.
      return { $comment: 'no JSON Schema: the validator could not express this schema' };
    }
  }
  const vendor = typeof props?.vendor === 'string' ? props.vendor : 'unknown';
  return { $comment: `no JSON Schema: the ${vendor} validator offers none` };
}
