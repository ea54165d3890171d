import {
  EventBuilder,
  EventErrorType,
  EventMessageCode,
  isEventError,
  type ContractErrorSchemas,
  type EventError,
  type RequestEvent,
  type ResponseEvent,
  validateSchema,
} from '@events-protocol/core';
import type { EventLogger } from './event-logger.js';

/**
 * The one place that turns anything a handler or middleware threw into a protocol answer. An
 * `EventError` answers `<name>:<errorType>` with its code and parameters; anything else answers
 * `<name>:error` with code `UNHANDLED_ERROR`, and its message and stack go to the log only.
 *
 * Give `declaredErrors` (the registration's) only for what the handler itself threw: when its
 * contract declares errors, a declared type's parameters are parsed by the declared schema (a
 * failure answers `INVALID_RESPONSE`) and any other type answers `<name>:error`
 * `UNDECLARED_ERROR`, both logged. Contracts that declare none answer every `EventError` as thrown.
 */
export function answerForThrown(
  event: RequestEvent,
  thrown: unknown,
  logger: EventLogger,
  declaredErrors?: ContractErrorSchemas,
): ResponseEvent {
  if (isEventError(thrown)) {
    return declaredErrors === undefined || !declaresAny(declaredErrors)
      ? EventBuilder.errorFor(event, thrown.errorType, { code: thrown.code, parameters: thrown.parameters })
      : answerForDeclared(event, thrown, declaredErrors, logger);
  }
  if (logger.isLevelEnabled('error')) {
    logger.error(
      { err: thrown, event: event.name, version: event.version, id: event.id, flowId: event.flowId },
      'handler failed with an unexpected error',
    );
  }
  return EventBuilder.errorFor(event, EventErrorType.Error, { code: EventMessageCode.UnhandledError });
}

function declaresAny(errors: ContractErrorSchemas): boolean {
  for (const _errorType in errors) return true;
  return false;
}

/** The answer to an `EventError` thrown by a handler whose contract declares errors. */
function answerForDeclared(
  event: RequestEvent,
  thrown: EventError,
  declaredErrors: ContractErrorSchemas,
  logger: EventLogger,
): ResponseEvent {
  const schema = Object.hasOwn(declaredErrors, thrown.errorType) ? declaredErrors[thrown.errorType] : undefined;
  if (schema === undefined) {
    logDeclaredError(logger, event, thrown, undefined, 'handler threw an error type its contract does not declare');
    return EventBuilder.errorFor(event, EventErrorType.Error, { code: EventMessageCode.UndeclaredError });
  }
  const checked = validateSchema(schema, thrown.parameters);
  if (checked instanceof Promise) {
    // The answer to a throw is synchronous: an asynchronous parameters schema cannot be awaited here.
    void checked.catch(() => undefined);
    const problem = new TypeError('the parameters schema validates asynchronously: declare a synchronous one');
    logDeclaredError(logger, event, thrown, problem, 'handler threw a declared error whose schema is asynchronous');
    return EventBuilder.errorFor(event, EventErrorType.Error, { code: EventMessageCode.InvalidResponse });
  }
  if (!checked.ok || !isParameterObject(checked.value)) {
    const problem = checked.ok ? new TypeError('the parameters schema does not produce an object') : checked.issues;
    logDeclaredError(
      logger,
      event,
      thrown,
      problem,
      "handler threw a declared error whose parameters fail the error's schema",
    );
    return EventBuilder.errorFor(event, EventErrorType.Error, { code: EventMessageCode.InvalidResponse });
  }
  return EventBuilder.errorFor(event, thrown.errorType, { code: thrown.code, parameters: checked.value });
}

function isParameterObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function logDeclaredError(
  logger: EventLogger,
  event: RequestEvent,
  thrown: EventError,
  problem: unknown,
  message: string,
): void {
  if (!logger.isLevelEnabled('error')) return;
  const contract = thrown.contract;
  logger.error(
    {
      err: problem ?? thrown,
      event: event.name,
      version: event.version,
      id: event.id,
      flowId: event.flowId,
      errorType: thrown.errorType,
      code: thrown.code,
      ...(contract === undefined ? {} : { madeBy: `${contract.name} v${contract.version}` }),
    },
    message,
  );
}
