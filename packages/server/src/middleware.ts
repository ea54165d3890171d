import type { RequestEvent, ResponseEvent } from '@events-protocol/core';
import { answerForThrown } from './answer-for-thrown.js';
import type { HandlerContext } from './event-handler.js';
import type { HandlerRegistration } from './handler-registration.js';

/**
 * What a middleware knows about the event it wraps: the handler context (with `transport`, what
 * the transport knows of the request) and the registration the event is routed to.
 */
export interface MiddlewareContext extends HandlerContext {
  /** The handler the event is routed to. */
  readonly registration: HandlerRegistration;
}

/**
 * A function around every handled event (after routing, before payload validation): for auth
 * checks, metrics and context. Call `next()` to go on, or return a response event (or throw an
 * `EventError`) to answer without running the handler. To give handlers typed values (a user),
 * use a registry middleware instead (`registry.use`, see `ContextMiddleware`).
 *
 * @example
 * const requireUser: EventMiddleware = (event, context, next) => {
 *   if (typeof event.auth['token'] !== 'string') {
 *     throw new EventError(EventErrorType.Unauthorized, { code: 'TOKEN_MISSING' });
 *   }
 *   return next();
 * };
 */
export type EventMiddleware = (
  event: RequestEvent,
  context: MiddlewareContext,
  next: () => Promise<ResponseEvent>,
) => ResponseEvent | Promise<ResponseEvent>;

/**
 * Runs `middleware[index…]` around `last`. Whatever an inner layer throws is answered here, so
 * `next()` always resolves to a response event and outer middleware sees every outcome.
 */
export async function runMiddleware(
  middleware: readonly EventMiddleware[],
  index: number,
  event: RequestEvent,
  context: MiddlewareContext,
  last: () => Promise<ResponseEvent>,
): Promise<ResponseEvent> {
  const current = middleware[index];
  if (current === undefined) {
    try {
      return await last();
    } catch (thrown) {
      // What `last` threw is the handler's own: judged against its contract's declared errors.
      return answerForThrown(event, thrown, context.logger, context.registration.errors);
    }
  }
  let called = false;
  try {
    return await current(event, context, () => {
      if (called) return Promise.reject(new Error('middleware called next() twice'));
      called = true;
      return runMiddleware(middleware, index + 1, event, context, last);
    });
  } catch (thrown) {
    return answerForThrown(event, thrown, context.logger);
  }
}
