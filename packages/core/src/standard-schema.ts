/**
 * The Standard Schema v1 interface (https://standardschema.dev), written out as types so core
 * depends on no validator: zod 4 (classic and `zod/mini`), valibot, arktype and others implement
 * it. A contract's schemas are Standard Schemas; their types come from `~standard.types`.
 */
export interface StandardSchemaV1<TInput = unknown, TOutput = TInput> {
  readonly '~standard': StandardSchemaProps<TInput, TOutput>;
}

/** What a Standard Schema keeps under `~standard`. */
export interface StandardSchemaProps<TInput = unknown, TOutput = TInput> {
  /** Always 1 for this version of the spec. */
  readonly version: 1;
  /** The validator's name (`zod`, `valibot`, `arktype`…). */
  readonly vendor: string;
  /** Checks a value: its output, or the issues found; a promise for asynchronous validators. */
  readonly validate: (value: unknown) => StandardResult<TOutput> | Promise<StandardResult<TOutput>>;
  /** The schema's input and output types, for inference only (never read at run time). */
  readonly types?: StandardTypes<TInput, TOutput> | undefined;
  /**
   * The Standard JSON Schema converter, where the validator offers one (zod classic, arktype):
   * the JSON Schema of the input or the output type.
   */
  readonly jsonSchema?: StandardJsonSchemaConverter | undefined;
}

/** The input and output types a Standard Schema declares. */
export interface StandardTypes<TInput = unknown, TOutput = TInput> {
  readonly input: TInput;
  readonly output: TOutput;
}

/** A Standard Schema's verdict: the output value, or the issues (never both). */
export type StandardResult<TOutput> = StandardSuccess<TOutput> | StandardFailure;

/** A value the schema accepts, as it outputs it. */
export interface StandardSuccess<TOutput> {
  readonly value: TOutput;
  readonly issues?: undefined;
}

/** A value the schema rejects, with why. */
export interface StandardFailure {
  readonly issues: readonly StandardIssue[];
}

/** One problem a Standard Schema found. Validators may add their own fields (zod and arktype add `code`). */
export interface StandardIssue {
  readonly message: string;
  readonly path?: readonly (PropertyKey | StandardPathSegment)[] | undefined;
}

/** A path segment given as an object (valibot does): its key. */
export interface StandardPathSegment {
  readonly key: PropertyKey;
}

/** The Standard JSON Schema v1 converter (`~standard.jsonSchema`). */
export interface StandardJsonSchemaConverter {
  readonly input: (options: StandardJsonSchemaOptions) => Record<string, unknown>;
  readonly output: (options: StandardJsonSchemaOptions) => Record<string, unknown>;
}

/** What a Standard JSON Schema converter is asked for: the JSON Schema dialect. */
export interface StandardJsonSchemaOptions {
  readonly target: 'draft-2020-12' | 'draft-07' | 'openapi-3.0' | (string & {});
  readonly libraryOptions?: Record<string, unknown> | undefined;
}

/**
 * The output type a schema declares: zod's `_zod.output` when it is a zod schema (cheaper for the
 * type checker than zod's `~standard`), otherwise `~standard.types.output` (`unknown` when none).
 * Both branches read the property by indexed access rather than `infer`: a pattern to infer from
 * is new object types per schema (three nested ones here), and contracts read four types each.
 */
export type SchemaOutput<TSchema> = TSchema extends ZodTypes
  ? TSchema['_zod']['output']
  : TSchema extends StandardTypesCarrier
    ? TSchema['~standard']['types'] extends undefined
      ? unknown
      : NonNullable<TSchema['~standard']['types']>['output']
    : unknown;

/**
 * The input type a schema declares: zod's `_zod.input` when it is a zod schema, otherwise
 * `~standard.types.input` (`unknown` when none).
 */
export type SchemaInput<TSchema> = TSchema extends ZodTypes
  ? TSchema['_zod']['input']
  : TSchema extends StandardTypesCarrier
    ? TSchema['~standard']['types'] extends undefined
      ? unknown
      : NonNullable<TSchema['~standard']['types']>['input']
    : unknown;

/**
 * {@link SchemaInput} read by inference from a pattern, for a schema that a type parameter still
 * being inferred picks (the parameters of a contract's `error(type, parameters)`). There the
 * indexed reads of {@link SchemaInput} go through the validator's own types (valibot's) until the
 * checker stops with "excessively deep" on a call with an undeclared error type, which should get
 * a plain error instead. It gives the same types as {@link SchemaInput}.
 */
export type InferredSchemaInput<TSchema> = TSchema extends ZodTypes
  ? TSchema['_zod']['input']
  : TSchema extends { readonly '~standard': { readonly types?: { readonly input: infer TInput } | undefined } }
    ? TInput
    : unknown;

/** What a Standard Schema carries its types in: one shape for every schema, like {@link ZodTypes}. */
interface StandardTypesCarrier {
  readonly '~standard': { readonly types?: StandardTypes | undefined };
}

/** Where a zod schema keeps its types: one shape for every schema, so checking it makes no new types. */
interface ZodTypes {
  readonly _zod: { readonly input: unknown; readonly output: unknown };
}

/** Whether a value is a Standard Schema v1 (has `~standard` with version 1 and a `validate` function). */
export function isStandardSchema(value: unknown): value is StandardSchemaV1 {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
  const props = (value as { '~standard'?: unknown })['~standard'];
  return (
    typeof props === 'object' &&
    props !== null &&
    (props as { version?: unknown }).version === 1 &&
    typeof (props as { validate?: unknown }).validate === 'function'
  );
}
