import type { RequestEvent, ResponseEvent } from '@events-protocol/core';
import type { EmptyContext } from './event-handler.js';
import type { MiddlewareContext } from './middleware.js';

/** The context names the processor fills in: middleware cannot add values under them. */
export const reservedContextNames = ['logger', 'deadline', 'signal', 'transport', 'registration'] as const;

/** One of {@link reservedContextNames}. */
export type ReservedContextName = (typeof reservedContextNames)[number];

/**
 * Type-only: the key under which a {@link ContextAnswer} carries, in its type, what a middleware
 * added. No such property exists at runtime.
 */
export declare const addedContext: unique symbol;

/**
 * What a context middleware's `next` resolves to and what the middleware answers: a response
 * event, which also says (in its type only) what the middleware added to the context, so that
 * `registry.use` infers it.
 */
export type ContextAnswer<TAdded extends object = EmptyContext> = ResponseEvent & {
  readonly [addedContext]?: TAdded;
};

/** Refuses, at compile time, additions under a reserved name (`logger`, `transport`, …). */
export type WithoutReservedNames<TAdded> = {
  readonly [TName in keyof TAdded & ReservedContextName]: never;
};

/**
 * Goes on to the next middleware and the handler, with `additions` (e.g. `{ user }`) added to
 * their context. Resolves to the answer, whatever happened inside (throws are answered first).
 * `next()` without additions only where nothing is expected of it.
 */
export type ContextNext = <TAdded extends object = EmptyContext>(
  ...additions: EmptyContext extends TAdded
    ? [additions?: TAdded & WithoutReservedNames<TAdded>]
    : [additions: TAdded & WithoutReservedNames<TAdded>]
) => Promise<ContextAnswer<TAdded>>;

/**
 * A registry middleware (`registry.use`): runs before each handler registered after it, with the
 * context typed so far (`TContext`), and adds typed values to it by calling `next(additions)`.
 * Answer without running the handler by throwing an `EventError` (or returning a response event).
 */
export type ContextMiddleware<TAdded extends object = EmptyContext, TContext extends object = EmptyContext> = (
  event: RequestEvent,
  context: MiddlewareContext & Readonly<TContext>,
  next: ContextNext,
) => ContextAnswer<TAdded> | Promise<ContextAnswer<TAdded>>;

/**
 * Writes a registry middleware once, for any registry: what it adds is inferred from its call of
 * `next` (or named: `contextMiddleware<{ user: User }>(…)` when it also returns events itself), and
 * `TContext` names what it needs from middleware before it.
 *
 * @example
 * const authenticate = contextMiddleware(async (event, { transport }, next) => {
 *   const user = await users.byToken(transport.headers.get('authorization'));
 *   if (user === undefined) throw new EventError(EventErrorType.Unauthorized, { code: 'BAD_TOKEN' });
 *   return next({ user });
 * });
 * new EventRegistry().use(authenticate).on(getProfile, (event, { user }) => user.profile);
 */
export function contextMiddleware<TAdded extends object = EmptyContext, TContext extends object = EmptyContext>(
  middleware: ContextMiddleware<TAdded, TContext>,
): ContextMiddleware<TAdded, TContext> {
  return middleware;
}
