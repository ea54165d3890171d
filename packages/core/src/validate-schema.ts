import { z } from 'zod';
import type { StandardIssue, StandardResult, StandardSchemaV1 } from './standard-schema.js';

/** One problem found in a value, the same for every validator: where, what, and a code. */
export interface SchemaIssue {
  /** Keys from the root to the offending value (`[]` for the root). */
  path: (string | number)[];
  message: string;
  /** The validator's code (`invalid_type`, `domain`…), or {@link genericIssueCode} when it gives none. */
  code: string;
}

/** The code of an issue whose validator gives none (valibot, hand-written Standard Schemas). */
export const genericIssueCode = 'invalid';

/** What {@link validateSchema} found: the schema's output, or the issues. */
export type SchemaValidation<TOutput = unknown> =
  { readonly ok: true; readonly value: TOutput } | { readonly ok: false; readonly issues: SchemaIssue[] };

interface ZodLike {
  readonly _zod: unknown;
}

function isZodSchema(schema: unknown): schema is ZodLike {
  return typeof schema === 'object' && schema !== null && '_zod' in schema;
}

/**
 * Validates a value with any Standard Schema v1, synchronously when the validator is (zod,
 * valibot and arktype are), otherwise as a promise. zod schemas (classic and `zod/mini`) are parsed
 * with `z.safeParse` directly, which allocates less than their `~standard.validate`; an async zod
 * schema goes through `~standard.validate`. Never throws for an invalid value.
 *
 * @example
 * const checked = validateSchema(contract.payload, payload);
 * if (checked instanceof Promise) { … } else if (!checked.ok) console.log(checked.issues);
 */
export function validateSchema<TOutput = unknown>(
  schema: StandardSchemaV1<unknown, TOutput> | { readonly '~standard': unknown } | { readonly _zod: unknown },
  value: unknown,
): SchemaValidation<TOutput> | Promise<SchemaValidation<TOutput>> {
  if (isZodSchema(schema)) {
    try {
      const parsed = z.safeParse(schema as unknown as z.ZodType<TOutput>, value);
      return parsed.success ? { ok: true, value: parsed.data } : { ok: false, issues: zodIssues(parsed.error) };
    } catch (error) {
      if (!(error instanceof z.core.$ZodAsyncError)) throw error;
    }
  }
  const result = (schema as StandardSchemaV1<unknown, TOutput>)['~standard'].validate(value);
  return result instanceof Promise ? result.then(schemaValidation) : schemaValidation(result);
}

function schemaValidation<TOutput>(result: StandardResult<TOutput>): SchemaValidation<TOutput> {
  if (result.issues === undefined) return { ok: true, value: result.value };
  return { ok: false, issues: Array.from(result.issues, schemaIssue) };
}

function zodIssues(error: z.ZodError): SchemaIssue[] {
  return error.issues.map((issue) => ({ path: issue.path.map(pathKey), message: issue.message, code: issue.code }));
}

function schemaIssue(issue: StandardIssue): SchemaIssue {
  const code = (issue as { code?: unknown }).code;
  return {
    // Array.from, not map: validators' own array subclasses (arktype's path) would carry over.
    path: Array.from(issue.path ?? [], (segment) => pathKey(typeof segment === 'object' ? segment.key : segment)),
    message: issue.message,
    code: typeof code === 'string' && code.length > 0 ? code : genericIssueCode,
  };
}

function pathKey(key: PropertyKey): string | number {
  return typeof key === 'symbol' ? String(key) : key;
}
