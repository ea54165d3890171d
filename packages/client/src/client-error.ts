import {
  defineErrorFamily,
  errorGuard,
  type ErrorCodeOf,
  type EventErrorTypeName,
  type ResponseEvent,
} from '@events-protocol/core';
import type {
  DeclaredErrorResult,
  ErrorResult,
  FailedDependencyResult,
  SendResult,
  TimeoutResult,
  UndeclaredErrorResult,
} from './send-result.js';

/** The stable codes of {@link EventClientError}. */
export const EventClientErrorCode = {
  /** The server answered an error event (`sendEventOrThrow`, `orThrow`). */
  ErrorResponse: 'ERROR_RESPONSE',
  /** No answer in time. */
  Timeout: 'TIMEOUT',
  /** Server unreachable, non-2xx, or not a response event. */
  FailedDependency: 'FAILED_DEPENDENCY',
  /** `send(contract, …)` was given a payload its schema rejects; nothing was sent. */
  InvalidPayload: 'INVALID_PAYLOAD',
  /** The success payload does not match the contract's response schema. */
  InvalidResponsePayload: 'INVALID_RESPONSE_PAYLOAD',
  /** The event cannot be sent: not serialisable as JSON, or an invalid name/version. */
  InvalidEvent: 'INVALID_EVENT',
  /** The caller's `AbortSignal` cancelled the call. */
  Aborted: 'ABORTED',
  /** The client was closed. */
  Closed: 'CLOSED',
  /** The client options are invalid. */
  InvalidOptions: 'INVALID_OPTIONS',
} as const;

/** A code of {@link EventClientError}. */
export type EventClientErrorCode = ErrorCodeOf<typeof EventClientErrorCode>;

/** Every error the client throws; `code` says which. */
export class EventClientError extends defineErrorFamily('EventClientError', EventClientErrorCode).Base {}

/** The server answered an error event. */
export class EventResponseError extends EventClientError {
  override readonly name = 'EventResponseError';
  readonly event: ResponseEvent;
  readonly errorType: EventErrorTypeName;
  /** Whether it is one of the contract's declared errors (`send(contract, …)` only), its parameters parsed. */
  readonly declared: boolean;
  /** A declared error's parameters as its schema parsed them; `undefined` for any other error. */
  readonly parameters: unknown;

  constructor(result: ErrorResult | DeclaredErrorResult | UndeclaredErrorResult) {
    const payload = result.event.payload as { code?: unknown } | null;
    const code = typeof payload?.code === 'string' ? ` (${payload.code})` : '';
    super(EventClientErrorCode.ErrorResponse, `${result.request.name} answered ${result.event.name}${code}`);
    this.event = result.event;
    this.errorType = result.errorType;
    this.declared = 'declared' in result && result.declared;
    this.parameters = 'declared' in result && result.declared ? result.parameters : undefined;
  }
}

/** No answer arrived in time. */
export class EventTimeoutError extends EventClientError {
  override readonly name = 'EventTimeoutError';
  readonly timeoutMs: number;
  /** Where the last attempt was when its time ran out, when the transport said. */
  readonly phase: TimeoutResult['phase'];

  constructor(result: TimeoutResult) {
    const phase = result.phase === undefined ? '' : ` (the ${result.phase} phase timed out)`;
    super(EventClientErrorCode.Timeout, `${result.request.name}: no answer within ${result.timeoutMs} ms${phase}`);
    this.timeoutMs = result.timeoutMs;
    this.phase = result.phase;
  }
}

/** The server was unreachable, answered a non-2xx status or something that is not a response event. */
export class FailedDependencyError extends EventClientError {
  override readonly name = 'FailedDependencyError';
  readonly reason: FailedDependencyResult['reason'];
  readonly status: number | undefined;
  readonly body: string | undefined;

  constructor(result: FailedDependencyResult) {
    const status = result.status === undefined ? '' : ` (HTTP ${result.status})`;
    super(EventClientErrorCode.FailedDependency, `${result.request.name}: ${result.reason}${status}`, {
      cause: result.cause,
    });
    this.reason = result.reason;
    this.status = result.status;
    this.body = result.body;
  }
}

/** Whether a value is an {@link EventClientError} (any subclass), across package copies. */
export const isEventClientError = errorGuard(EventClientError);

/**
 * The success of a result, or its failure as an exception: for callers who prefer `try`.
 *
 * @example
 * const { event } = orThrow(await client.sendEvent({ name: 'user:get', payload: { userId: '42' } }));
 * @throws {EventResponseError | EventTimeoutError | FailedDependencyError} for the other kinds.
 */
export function orThrow<TResult extends SendResult>(result: TResult): Extract<TResult, { kind: 'success' }> {
  switch (result.kind) {
    case 'success':
      return result as Extract<TResult, { kind: 'success' }>;
    case 'error':
      throw new EventResponseError(result);
    case 'timeout':
      throw new EventTimeoutError(result);
    case 'failedDependency':
      throw new FailedDependencyError(result);
  }
}
