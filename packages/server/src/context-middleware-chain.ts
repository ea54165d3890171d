import { EventBuilder, type RequestEvent, type ResponseEvent } from '@events-protocol/core';
import { answerForThrown } from './answer-for-thrown.js';
import { reservedContextNames, type ContextMiddleware } from './context-middleware.js';
import type { EventHandlerFunction, HandlerContext } from './event-handler.js';
import type { EventLogger } from './event-logger.js';
import { isResponseEventFor } from './handler-answers.js';
import type { HandlerRegistration } from './handler-registration.js';
import type { MiddlewareContext } from './middleware.js';
import { ServerError, ServerErrorCode } from './server-error.js';
import type { TransportInfo } from './transport-info.js';

const reserved: ReadonlySet<string> = new Set(reservedContextNames);

/**
 * The context of one event while its registry middleware and handler run: the run's own values
 * (the signal still made on first use) and the values middleware added, as own properties.
 */
class LayeredContext implements MiddlewareContext {
  readonly logger: EventLogger;
  readonly deadline: number;
  readonly transport: TransportInfo;
  readonly registration: HandlerRegistration;
  readonly #run: HandlerContext;

  constructor(run: HandlerContext, registration: HandlerRegistration) {
    this.#run = run;
    this.logger = run.logger;
    this.deadline = run.deadline;
    this.transport = run.transport;
    this.registration = registration;
  }

  get signal(): AbortSignal {
    return this.#run.signal;
  }
}

/**
 * Adds a middleware's values to the context, as own properties; no key (not even `__proto__`)
 * reaches the prototype. Adds nothing and returns a `RESERVED_CONTEXT_NAME` error when one is
 * under a name the processor fills in.
 */
function addToContext(context: LayeredContext, additions: object): ServerError | undefined {
  const keys = Object.keys(additions);
  for (const key of keys) {
    if (reserved.has(key)) {
      return new ServerError(
        ServerErrorCode.ReservedContextName,
        `middleware cannot add '${key}' to the handler context of '${context.registration.name}': ${reservedContextNames.join(', ')} are reserved`,
      );
    }
  }
  for (const key of keys) {
    const value: unknown = (additions as Record<string, unknown>)[key];
    // Plain assignment keeps the object's fast shape; only `__proto__` would reach the prototype.
    if (key === '__proto__') {
      Object.defineProperty(context, key, { value, enumerable: true, writable: true, configurable: true });
    } else (context as unknown as Record<string, unknown>)[key] = value;
  }
  return undefined;
}

/**
 * A registration whose handler runs with registry middleware around it, the first one added
 * outermost. Each `next` resolves to the handler's answer as a response event; its response
 * schema is checked once, by the processor, on the final answer.
 */
export function withContextMiddleware(
  registration: HandlerRegistration,
  middleware: readonly ContextMiddleware[],
): HandlerRegistration {
  const handler = registration.handle;
  const layered: HandlerRegistration = {
    ...registration,
    handle: (event, run) => runLayer(middleware, 0, event, new LayeredContext(run, layered), handler),
  };
  return layered;
}

async function runLayer(
  middleware: readonly ContextMiddleware[],
  index: number,
  event: RequestEvent,
  context: LayeredContext,
  handler: EventHandlerFunction,
): Promise<ResponseEvent> {
  const current = middleware[index];
  if (current === undefined) return answerOfHandler(handler, event, context);
  let called = false;
  const next = (additions?: object): Promise<ResponseEvent> => {
    if (called) return Promise.reject(new Error('middleware called next() twice'));
    called = true;
    if (additions !== undefined) {
      const refusal = addToContext(context, additions);
      if (refusal !== undefined) return Promise.reject(refusal);
    }
    return runLayer(middleware, index + 1, event, context, handler);
  };
  try {
    return await current(event, context, next);
  } catch (thrown) {
    return answerForThrown(event, thrown, context.logger);
  }
}

async function answerOfHandler(
  handler: EventHandlerFunction,
  event: RequestEvent,
  context: LayeredContext,
): Promise<ResponseEvent> {
  try {
    const result: unknown = await handler(event, context);
    return isResponseEventFor(event, result) ? result : EventBuilder.responseFor(event, result ?? null);
  } catch (thrown) {
    return answerForThrown(event, thrown, context.logger, context.registration.errors);
  }
}
