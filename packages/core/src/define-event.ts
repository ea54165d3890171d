import type { z } from 'zod';
import { contractError, type ContractErrorOptions } from './contract-error.js';
import type { EventError } from './event-error.js';
import { schemaJsonSchema, type JsonSchema } from './schema-json-schema.js';
import { isStandardSchema, type InferredSchemaInput, type SchemaInput, type SchemaOutput } from './standard-schema.js';

export type { JsonSchema } from './schema-json-schema.js';

/**
 * One typed contract per event, shared by client and server: its name, version, and the schemas
 * (zod or any Standard Schema v1 validator) of its payload and of its success response. Types, validation and JSON Schema derive
 * from it.
 */
export interface EventContract<
  TName extends string = string,
  TPayloadSchema extends ContractSchema = ContractSchema,
  TResponseSchema extends ContractSchema = ContractSchema,
  TErrors extends ContractErrorSchemas = ContractErrorSchemas,
> {
  readonly name: TName;
  readonly version: number;
  readonly payload: TPayloadSchema;
  readonly response: TResponseSchema;
  readonly description: string | undefined;
  /** Set when callers should move to a newer version; answers and discovery say so. */
  readonly deprecated: EventDeprecation | undefined;
  /**
   * The typed errors its handlers answer: error type (`notFound`, `quotaExceeded`…) → the zod
   * schema of that error's `parameters`. On the wire such an error is `<name>:<errorType>` with
   * payload `{ code, parameters }`. `{}` when none are declared.
   */
  readonly errors: TErrors;
  /**
   * Makes one of the contract's declared errors, to throw from its handler: only declared error
   * types are accepted, with their parameters' input shape. The server parses the parameters with
   * the declared schema; the code defaults to the type in SCREAMING_SNAKE_CASE (`NOT_FOUND`).
   *
   * @example
   * throw getUser.error('notFound', { userId });
   */
  error<TErrorType extends keyof TErrors & string>(
    errorType: TErrorType,
    parameters: InferredSchemaInput<TErrors[TErrorType]>,
    options?: ContractErrorOptions,
  ): EventError;
}

/**
 * The typed errors of a contract: error type → the schema of its `parameters`. The keys are error
 * types as the protocol names them (`notFound`, `forbidden`…) or the application's own suffixes;
 * never `response`, `redirect`, `eventNotFound` or `badProtocol`, and never with a `:`.
 */
export type ContractErrorSchemas = Readonly<Record<string, ContractSchema>>;

/**
 * A contract's schema as its types see it: a Standard Schema v1 validator (zod 4 classic or
 * `zod/mini`, valibot, arktype…), constrained only by what inference reads: `_zod` for zod (cheaper
 * to check than zod's `~standard`), `~standard.types` for the others.
 * The narrow type keeps the type checker from comparing each contract's schemas with a
 * validator's whole type, which made a registry of thousands of contracts take minutes to check.
 * `defineEvent` checks at run time that each schema is a Standard Schema; `validateSchema` runs it.
 */
export type ContractSchema<TOutput = unknown, TInput = unknown> =
  | { readonly _zod: { readonly output: TOutput; readonly input: TInput } }
  | { readonly '~standard': { readonly types?: { readonly input: TInput; readonly output: TOutput } | undefined } };

/**
 * The zod schema behind a contract's schema, for code written when contracts only held zod.
 * Deprecated in favour of `validateSchema(schema, value)` (any validator) and
 * `schemaJsonSchema(schema, side)`: this is a cast, right only for zod schemas (not marked
 * `@deprecated` yet, so code that still calls it keeps linting until it moves).
 */
export function zodSchemaOf(schema: ContractSchema): z.ZodType {
  return schema as unknown as z.ZodType;
}

/** That a version of an event is deprecated: when it goes away and what to use instead. */
export interface EventDeprecation {
  /** The day after which the version may be removed (ISO 8601 date, e.g. `2027-06-30`). */
  readonly sunset?: string;
  /** A sentence for callers, e.g. `use version 2: it pages results`. */
  readonly note?: string;
}

/** What a handler of the contract receives as payload (the schema's output). */
export type ContractPayload<TContract extends EventContract> = SchemaOutput<TContract['payload']>;
/** What a caller of the contract sends as payload (the schema's input). */
export type ContractPayloadInput<TContract extends EventContract> = SchemaInput<TContract['payload']>;
/** What a caller of the contract receives on success (the response schema's output). */
export type ContractResponse<TContract extends EventContract> = SchemaOutput<TContract['response']>;
/** What a handler of the contract returns on success (the response schema's input). */
export type ContractResponseInput<TContract extends EventContract> = SchemaInput<TContract['response']>;
/** The error types a contract declares (`never` when it declares none). */
export type ContractErrorType<TContract extends EventContract> = keyof TContract['errors'] & string;
/** What a caller reads as the parameters of one of the contract's declared errors (the schema's output). */
export type ContractErrorParameters<
  TContract extends EventContract,
  TErrorType extends ContractErrorType<TContract>,
> = SchemaOutput<TContract['errors'][TErrorType]>;

/**
 * Defines an event contract. Define it once in a module both sides import; the handler's and the
 * client's types follow from it without annotations.
 *
 * @example
 * export const getUser = defineEvent({
 *   name: 'user:get',
 *   version: 1,
 *   payload: z.object({ userId: z.string() }),
 *   response: z.object({ userId: z.string(), name: z.string() }),
 *   errors: { notFound: z.object({ userId: z.string() }) },
 * });
 * // in its handler:
 * throw getUser.error('notFound', { userId: '42' });
 * @throws {TypeError} when the name is empty, the version is not an integer ≥ 1, the sunset is not a
 * date, a schema is not a Standard Schema or an error type cannot be declared.
 */
export function defineEvent<
  const TName extends string,
  TPayloadSchema extends ContractSchema,
  TResponseSchema extends ContractSchema,
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- no errors declared: no keys
  TErrors extends ContractErrorSchemas = {},
>(definition: {
  name: TName;
  version?: number;
  payload: TPayloadSchema;
  response: TResponseSchema;
  description?: string;
  deprecated?: EventDeprecation;
  errors?: TErrors;
}): EventContract<TName, TPayloadSchema, TResponseSchema, TErrors> {
  const version = definition.version ?? 1;
  if (definition.name.length === 0) throw new TypeError('defineEvent: the event name must not be empty');
  if (!Number.isInteger(version) || version < 1) {
    throw new TypeError(`defineEvent: version of '${definition.name}' must be an integer >= 1, got ${String(version)}`);
  }
  const sunset = definition.deprecated?.sunset;
  if (sunset !== undefined && Number.isNaN(Date.parse(sunset))) {
    throw new TypeError(`defineEvent: the sunset of '${definition.name}' must be an ISO 8601 date, got '${sunset}'`);
  }
  for (const [part, schema] of [
    ['payload', definition.payload],
    ['response', definition.response],
  ] as const) {
    if (!isStandardSchema(schema)) {
      throw new TypeError(
        `defineEvent: the ${part} of '${definition.name}' must be a Standard Schema v1 (zod, valibot, arktype…)`,
      );
    }
  }
  const errors = Object.freeze({ ...(definition.errors ?? {}) }) as TErrors;
  for (const [errorType, schema] of Object.entries(errors)) {
    if (!isStandardSchema(schema)) {
      throw new TypeError(
        `defineEvent: the error '${errorType}' of '${definition.name}' must be a Standard Schema v1 (zod, valibot, arktype…)`,
      );
    }
    if (!isDeclarableErrorType(errorType)) {
      throw new TypeError(
        `defineEvent: '${definition.name}' cannot declare the error type '${errorType}': use a non-empty name without ':' that is not response, redirect, eventNotFound or badProtocol`,
      );
    }
  }
  const contract: EventContract<TName, TPayloadSchema, TResponseSchema, TErrors> = Object.freeze({
    name: definition.name,
    version,
    payload: definition.payload,
    response: definition.response,
    description: definition.description,
    deprecated: definition.deprecated === undefined ? undefined : Object.freeze({ ...definition.deprecated }),
    errors,
    error(errorType: string, parameters: unknown, options?: ContractErrorOptions): EventError {
      return contractError(contract, errorType, parameters, options);
    },
  });
  return contract;
}

const undeclarableErrorTypes: ReadonlySet<string> = new Set(['response', 'redirect', 'eventNotFound', 'badProtocol']);

function isDeclarableErrorType(errorType: string): boolean {
  return errorType.length > 0 && !errorType.includes(':') && !undeclarableErrorTypes.has(errorType);
}

/** The JSON Schema of one declared error: that of its `parameters`, as callers read them. */
export interface ErrorJsonSchema {
  parameters: JsonSchema;
}

/**
 * The JSON Schemas of a contract: what callers send, what they get back on success, and the
 * parameters of each declared error.
 */
export interface ContractJsonSchemas {
  payload: JsonSchema;
  response: JsonSchema;
  /** Error type → the JSON Schema of its parameters; `{}` when no errors are declared. */
  errors: Readonly<Record<string, ErrorJsonSchema>>;
}

const jsonSchemaCache = new WeakMap<EventContract, ContractJsonSchemas>();
const errorJsonSchemaCache = new WeakMap<ContractErrorSchemas, Readonly<Record<string, ErrorJsonSchema>>>();

/**
 * The JSON Schemas of a contract's payload (as callers write it), response and declared errors'
 * parameters (as callers read them), computed once per contract, from what each validator offers
 * (see `schemaJsonSchema`). Types JSON Schema cannot express (bigint, transforms) become `{}`.
 */
export function contractJsonSchemas(contract: EventContract): ContractJsonSchemas {
  let schemas = jsonSchemaCache.get(contract);
  if (schemas === undefined) {
    schemas = {
      payload: schemaJsonSchema(contract.payload, 'input'),
      response: schemaJsonSchema(contract.response, 'output'),
      errors: errorJsonSchemas(contract.errors),
    };
    jsonSchemaCache.set(contract, schemas);
  }
  return schemas;
}

/**
 * The JSON Schema of each declared error's parameters (as callers read them), computed once per
 * errors object: a contract's `errors`, or a registration's that carries them.
 */
export function errorJsonSchemas(errors: ContractErrorSchemas): Readonly<Record<string, ErrorJsonSchema>> {
  let schemas = errorJsonSchemaCache.get(errors);
  if (schemas === undefined) {
    const entries = Object.entries(errors).map(([errorType, schema]): [string, ErrorJsonSchema] => [
      errorType,
      { parameters: schemaJsonSchema(schema, 'output') },
    ]);
    schemas = Object.freeze(Object.fromEntries(entries));
    errorJsonSchemaCache.set(errors, schemas);
  }
  return schemas;
}
