import {
  eventMessageSchema,
  type ContractErrorSchemas,
  type EventErrorTypeName,
  type RequestEvent,
  type ResponseEvent,
  type SchemaOutput,
  type SchemaValidation,
  validateSchema,
} from '@events-protocol/core';

/** Why a call is a failed dependency: the server was not reached, refused at HTTP level, or answered nonsense. */
export type FailedDependencyReason = 'unreachable' | 'status' | 'invalidResponse';

/**
 * Where an attempt that failed in transport was: getting a connection, waiting for the answer's
 * headers, or reading its body.
 */
export type TransportPhase = 'connect' | 'headers' | 'body';

/** What every outcome tells: the request as sent and how many attempts were made. */
interface SentRequest {
  /** The request event as it was sent (the same `id` on every attempt). */
  readonly request: RequestEvent;
  /** Attempts made, the first included. */
  readonly attempts: number;
}

/** The server answered `<name>:response` or `<name>:redirect`. */
export interface SuccessResult extends SentRequest {
  readonly kind: 'success';
  readonly event: ResponseEvent;
  /** Whether the answer was a redirect (`<name>:redirect`). */
  readonly redirect: boolean;
}

/** The server answered with an error event: `<name>:<errorType>`, `eventNotFound` or `badProtocol`. */
export interface ErrorResult extends SentRequest {
  readonly kind: 'error';
  /** The answer, exactly as it came. */
  readonly event: ResponseEvent;
  /**
   * The suffix of the answer's name, unknown ones included (`notFound`, `quotaExceeded`,
   * `eventNotFound`…). No handler for the event is always `eventNotFound`: the bare name, or the
   * `<name>:notFound` with code `EVENT_NOT_FOUND` that the JVM and Python implementations answer.
   */
  readonly errorType: EventErrorTypeName;
}

/** No answer arrived within the call's time. */
export interface TimeoutResult extends SentRequest {
  readonly kind: 'timeout';
  /** The call's total budget, in ms. */
  readonly timeoutMs: number;
  /** Where the last attempt was when its time ran out, when a transport said. */
  readonly phase?: TransportPhase;
}

/** The server could not be reached, answered a non-2xx status, or answered something that is not a response event. */
export interface FailedDependencyResult extends SentRequest {
  readonly kind: 'failedDependency';
  readonly reason: FailedDependencyReason;
  /** The HTTP status, when one arrived. */
  readonly status?: number;
  /** The start of the answer's body (at most 8 KiB), kept for diagnosis. */
  readonly body?: string;
  /** The transport error, when there was one. */
  readonly cause?: unknown;
  /** Where the attempt failed in transport (`unreachable`, a body too large), when a transport said. */
  readonly phase?: TransportPhase;
  /** On a 429 or 503, the wait the server's `Retry-After` asked for, in ms; retries wait at least that long. */
  readonly retryAfterMs?: number;
}

/**
 * What `sendEvent` resolves to: a union to switch on by `kind`. Protocol outcomes are values,
 * never exceptions.
 */
export type SendResult = SuccessResult | ErrorResult | TimeoutResult | FailedDependencyResult;

/** A success whose payload the contract's response schema has parsed. */
export interface TypedSuccessResult<TResponse> extends SuccessResult {
  readonly payload: TResponse;
}

/**
 * An error answer of a type the contract declares, whose parameters its schema has parsed: narrow
 * on `declared` and `errorType` to read `parameters` typed.
 */
export interface DeclaredErrorResult<TErrorType extends string = string, TParameters = unknown> extends ErrorResult {
  readonly declared: true;
  readonly errorType: TErrorType;
  /** The answer's `payload.code`. */
  readonly code: string;
  /** The answer's `payload.parameters`, as the declared schema parses them. */
  readonly parameters: TParameters;
}

/**
 * Any other error answer to `send(contract, …)`: a type the contract does not declare (`eventNotFound`,
 * `error`…), or a declared type whose payload fails its schema. The event is kept as it came.
 */
export interface UndeclaredErrorResult extends ErrorResult {
  readonly declared: false;
}

/** The error outcomes of a contract: one {@link DeclaredErrorResult} per declared type, and the others. */
export type TypedErrorResult<TErrors extends ContractErrorSchemas> =
  | {
      [TErrorType in keyof TErrors & string]: DeclaredErrorResult<TErrorType, SchemaOutput<TErrors[TErrorType]>>;
    }[keyof TErrors & string]
  | UndeclaredErrorResult;

/**
 * What `send(contract, …)` resolves to: like {@link SendResult}, with a typed `payload` on success
 * and the contract's declared errors told apart, with typed `parameters`.
 *
 * @example
 * if (result.kind === 'error' && result.declared && result.errorType === 'notFound') result.parameters.userId;
 */
export type TypedSendResult<
  TResponse,
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- no errors declared: no keys
  TErrors extends ContractErrorSchemas = {},
> = TypedSuccessResult<TResponse> | TypedErrorResult<TErrors> | TimeoutResult | FailedDependencyResult;

/**
 * An error answer read against the contract's declared errors: declared, with its parameters parsed,
 * when its type is declared and its payload `{ code, parameters }` passes the schema; undeclared
 * otherwise (the event kept as it came).
 */
export function typedErrorResult<TErrors extends ContractErrorSchemas>(
  errors: TErrors,
  result: ErrorResult,
): TypedErrorResult<TErrors> {
  const read = typedErrorResultOf(errors, result);
  // An asynchronous parameters schema cannot be read synchronously: the answer stays undeclared.
  if (read instanceof Promise) return { ...result, declared: false };
  return read;
}

/**
 * Like {@link typedErrorResult}, awaiting a parameters schema that validates asynchronously
 * (what `send` uses).
 */
export function typedErrorResultOf<TErrors extends ContractErrorSchemas>(
  errors: TErrors,
  result: ErrorResult,
): TypedErrorResult<TErrors> | Promise<TypedErrorResult<TErrors>> {
  const schema = Object.hasOwn(errors, result.errorType) ? errors[result.errorType] : undefined;
  const message = schema === undefined ? undefined : eventMessageSchema.safeParse(result.event.payload);
  if (schema === undefined || message?.success !== true) return { ...result, declared: false };
  const checked = validateSchema(schema, message.data.parameters);
  const code = message.data.code;
  if (checked instanceof Promise) return checked.then((settled) => declaredOrNot<TErrors>(result, code, settled));
  return declaredOrNot<TErrors>(result, code, checked);
}

function declaredOrNot<TErrors extends ContractErrorSchemas>(
  result: ErrorResult,
  code: string,
  checked: SchemaValidation,
): TypedErrorResult<TErrors> {
  if (!checked.ok) return { ...result, declared: false };
  const declared: DeclaredErrorResult = { ...result, declared: true, code, parameters: checked.value };
  return declared as TypedErrorResult<TErrors>;
}

/**
 * What a result was, in one word: `success`, `redirect`, the error type, `timeout` or
 * `failedDependency` (the `events.outcome` of a call's span).
 */
export function outcomeName(result: SendResult): string {
  switch (result.kind) {
    case 'success':
      return result.redirect ? 'redirect' : 'success';
    case 'error':
      return result.errorType;
    case 'timeout':
    case 'failedDependency':
      return result.kind;
  }
}

/**
 * The code of a result that is not a success: the error event's `payload.code` (its error type
 * when it has none), or the client's code for the failure, `TIMEOUT` or `FAILED_DEPENDENCY`.
 */
export function failureCode(result: Exclude<SendResult, { kind: 'success' }>): string {
  switch (result.kind) {
    case 'error': {
      const code = (result.event.payload as { code?: unknown } | null)?.code;
      return typeof code === 'string' ? code : result.errorType;
    }
    case 'timeout':
      return 'TIMEOUT';
    case 'failedDependency':
      return 'FAILED_DEPENDENCY';
  }
}
