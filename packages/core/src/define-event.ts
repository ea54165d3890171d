import { z } from 'zod';

/**
 * One typed contract per event, shared by client and server: its name, version, and the zod
 * schemas of its payload and of its success response. Types, validation and JSON Schema derive
 * from it.
 */
export interface EventContract<
  TName extends string = string,
  TPayloadSchema extends z.ZodType = z.ZodType,
  TResponseSchema extends z.ZodType = z.ZodType,
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
}

/**
 * The typed errors of a contract: error type → the schema of its `parameters`. The keys are error
 * types as the protocol names them (`notFound`, `forbidden`…) or the application's own suffixes;
 * never `response`, `redirect`, `eventNotFound` or `badProtocol`, and never with a `:`.
 */
export type ContractErrorSchemas = Readonly<Record<string, z.ZodType>>;

/** That a version of an event is deprecated: when it goes away and what to use instead. */
export interface EventDeprecation {
  /** The day after which the version may be removed (ISO 8601 date, e.g. `2027-06-30`). */
  readonly sunset?: string;
  /** A sentence for callers, e.g. `use version 2: it pages results`. */
  readonly note?: string;
}

/** What a handler of the contract receives as payload (the schema's output). */
export type ContractPayload<TContract extends EventContract> = z.output<TContract['payload']>;
/** What a caller of the contract sends as payload (the schema's input). */
export type ContractPayloadInput<TContract extends EventContract> = z.input<TContract['payload']>;
/** What a caller of the contract receives on success (the response schema's output). */
export type ContractResponse<TContract extends EventContract> = z.output<TContract['response']>;
/** What a handler of the contract returns on success (the response schema's input). */
export type ContractResponseInput<TContract extends EventContract> = z.input<TContract['response']>;

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
 * });
 * @throws {TypeError} when the name is empty, the version is not an integer ≥ 1, the sunset is not a
 * date or an error type cannot be declared.
 */
export function defineEvent<
  const TName extends string,
  TPayloadSchema extends z.ZodType,
  TResponseSchema extends z.ZodType,
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
  const errors = Object.freeze({ ...(definition.errors ?? {}) }) as TErrors;
  for (const errorType of Object.keys(errors)) {
    if (!isDeclarableErrorType(errorType)) {
      throw new TypeError(
        `defineEvent: '${definition.name}' cannot declare the error type '${errorType}': use a non-empty name without ':' that is not response, redirect, eventNotFound or badProtocol`,
      );
    }
  }
  return Object.freeze({
    name: definition.name,
    version,
    payload: definition.payload,
    response: definition.response,
    description: definition.description,
    deprecated: definition.deprecated === undefined ? undefined : Object.freeze({ ...definition.deprecated }),
    errors,
  });
}

const undeclarableErrorTypes: ReadonlySet<string> = new Set(['response', 'redirect', 'eventNotFound', 'badProtocol']);

function isDeclarableErrorType(errorType: string): boolean {
  return errorType.length > 0 && !errorType.includes(':') && !undeclarableErrorTypes.has(errorType);
}

/** A JSON Schema document (draft 2020-12) as zod writes it. */
export type JsonSchema = Record<string, unknown>;

/** The JSON Schemas of a contract: what callers send, and what they get back on success. */
export interface ContractJsonSchemas {
  payload: JsonSchema;
  response: JsonSchema;
}

const jsonSchemaCache = new WeakMap<EventContract, ContractJsonSchemas>();

/**
 * The JSON Schemas of a contract's payload (as callers write it) and response (as callers read it),
 * computed once per contract. Types JSON Schema cannot express (bigint, transforms) become `{}`.
 */
export function contractJsonSchemas(contract: EventContract): ContractJsonSchemas {
  let schemas = jsonSchemaCache.get(contract);
  if (schemas === undefined) {
    schemas = {
      payload: z.toJSONSchema(contract.payload, { io: 'input', unrepresentable: 'any' }),
      response: z.toJSONSchema(contract.response, { io: 'output', unrepresentable: 'any' }),
    };
    jsonSchemaCache.set(contract, schemas);
  }
  return schemas;
}
