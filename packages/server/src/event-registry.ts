import type { ContractSchema, EventContract } from '@events-protocol/core';
import { withContextMiddleware } from './context-middleware-chain.js';
import type { ContextMiddleware } from './context-middleware.js';
import type {
  ContractHandler,
  EmptyContext,
  EventHandler,
  EventHandlerFunction,
  HandlerOptions,
} from './event-handler.js';
import { handlerRegistration, type HandlerRegistration } from './handler-registration.js';
import { ServerError, ServerErrorCode } from './server-error.js';
import { upcastRegistration, type EventUpcaster } from './upcast.js';

/** A plain registration: a name, a version, an optional schema and a function. */
export interface HandlerDefinition<
  TPayload = unknown,
  TResponse = unknown,
  TContext extends object = EmptyContext,
> extends HandlerOptions {
  name: string;
  /** 1 by default. */
  version?: number;
  /** The payload's schema: zod or any Standard Schema v1 validator. */
  payload?: ContractSchema<TPayload>;
  /** The success response's schema: zod or any Standard Schema v1 validator. */
  response?: ContractSchema;
  handler: EventHandlerFunction<TPayload, TResponse, TContext>;
}

type EventHandlerClass = typeof EventHandler;

/**
 * Refuses, at compile time, a handler class that reads context values its registry's middleware
 * do not add (handler methods' parameters are not checked strictly otherwise).
 */
type ContextGiven<TContext extends object, THandlerContext extends object> = [TContext] extends [THandlerContext]
  ? unknown
  : {
      readonly 'the registry does not add the context this handler reads': Exclude<
        keyof THandlerContext,
        keyof TContext
      >;
    };

/**
 * Handlers keyed by event name and version. Registering the same name and version twice fails at
 * registration, never at request time. `TContext` is what its middleware (`use`) add to the
 * context of the handlers registered after them.
 *
 * @example
 * const registry = new EventRegistry()
 *   .on(getUser, async (event) => users.get(event.payload.userId))
 *   .register({ name: 'ping', handler: () => 'pong' })
 *   .add(new DeleteUser(users))
 *   .use(authenticate) // adds { user }
 *   .on(getProfile, (event, { user }) => user.profile);
 */
export class EventRegistry<TContext extends object = EmptyContext> {
  // name → version → handler: routing needs no string building per request.
  readonly #handlers = new Map<string, Map<number, HandlerRegistration>>();
  // A new array per `use`, so registrations made earlier keep the middleware they were made with.
  #middleware: readonly ContextMiddleware[] = [];
  #revision = 0;

  /**
   * Adds a middleware before every handler registered after this call (not before those
   * registered earlier), outermost first, after payload validation and within the handler's
   * time. What it passes to `next(additions)` is added to the context, typed: the registry this
   * returns (the same object) gives handlers `TContext & TAdded`. Chain the calls, or keep the
   * returned registry: the types follow the value returned.
   *
   * @example
   * new EventRegistry()
   *   .use(async (event, { transport }, next) => next({ user: await authenticate(transport) }))
   *   .on(getProfile, (event, { user, transport, logger }) => user.profile);
   * @throws {ServerError} `INVALID_HANDLER` when `middleware` is not a function.
   */
  use<TAdded extends object = EmptyContext>(
    middleware: ContextMiddleware<TAdded, TContext>,
  ): EventRegistry<TContext & TAdded> {
    if (typeof middleware !== 'function') {
      throw new ServerError(ServerErrorCode.InvalidHandler, 'registry middleware must be a function');
    }
    this.#middleware = [...this.#middleware, middleware as unknown as ContextMiddleware];
    return this as unknown as EventRegistry<TContext & TAdded>;
  }

  /**
   * Registers a contract's handler; its payload and return types are inferred from the contract.
   *
   * @throws {ServerError} `DUPLICATE_HANDLER` when the name and version are taken.
   */
  on<TContract extends EventContract>(
    contract: TContract,
    handler: NoInfer<ContractHandler<TContract, TContext>>,
    options: HandlerOptions = {},
  ): this {
    return this.#add(
      handlerRegistration({
        name: contract.name,
        version: contract.version,
        payload: contract.payload,
        response: contract.response,
        timeoutMs: options.timeoutMs,
        description: options.description ?? contract.description,
        deprecated: options.deprecated ?? contract.deprecated,
        errors: contract.errors,
        handle: handler as EventHandlerFunction,
      }),
    );
  }

  /**
   * Registers a handler function under a name and version.
   *
   * @throws {ServerError} `DUPLICATE_HANDLER` when the name and version are taken, `INVALID_HANDLER`
   * for an empty name, a bad version or timeout.
   */
  register<TPayload, TResponse>(definition: HandlerDefinition<TPayload, TResponse, TContext>): this {
    return this.#add(
      handlerRegistration({
        name: definition.name,
        version: definition.version,
        payload: definition.payload,
        response: definition.response,
        timeoutMs: definition.timeoutMs,
        description: definition.description,
        deprecated: definition.deprecated,
        handle: definition.handler as EventHandlerFunction,
      }),
    );
  }

  /**
   * Registers an instance of an {@link EventHandler} subclass, reading name, version and schemas
   * from its static members.
   *
   * @throws {ServerError} as {@link EventRegistry.register} does.
   */
  add<THandlerContext extends object = EmptyContext>(
    handler: EventHandler<never, unknown, THandlerContext> & ContextGiven<TContext, THandlerContext>,
  ): this {
    const type = handler.constructor as EventHandlerClass;
    return this.#add(
      handlerRegistration({
        name: type.eventName,
        version: type.version,
        payload: type.payload,
        response: type.response,
        timeoutMs: type.timeoutMs,
        description: type.description,
        deprecated: type.deprecated,
        handle: handler.handle.bind(handler) as EventHandlerFunction,
      }),
    );
  }

  /**
   * Keeps an old version of an event working without a handler of its own: its events are
   * converted to the newer contract (`payload`), handled by the newer version's handler, and the
   * answer converted back (`response`, identity by default). Mark the old contract `deprecated`
   * and its callers are told so on every answer. Chains work: v1 → v2 → v3. Upcast events run
   * the middleware of the newer version's handler (added by `use` before it was registered).
   *
   * @example
   * registry.on(getUserV2, handler).upcast(getUserV1, getUserV2, {
   *   payload: (v1) => ({ userId: v1.id }),
   *   response: (v2) => ({ id: v2.userId, name: v2.displayName }),
   * });
   * @throws {ServerError} `DUPLICATE_HANDLER` when the old version has a handler already.
   */
  upcast<TFrom extends EventContract, TTo extends EventContract>(
    from: TFrom,
    to: TTo,
    convert: EventUpcaster<TFrom, TTo>,
  ): this {
    return this.#add(upcastRegistration({ registry: this, from, to, convert }), false);
  }

  /** The handler for a name and version, or `undefined`. */
  find(name: string, version: number): HandlerRegistration | undefined {
    return this.#handlers.get(name)?.get(version);
  }

  /** Every registration, ordered by name then version. */
  list(): HandlerRegistration[] {
    return [...this.#handlers.values()]
      .flatMap((versions) => [...versions.values()])
      .sort((a, b) => (a.name === b.name ? a.version - b.version : a.name < b.name ? -1 : 1));
  }

  /** Increases with every registration, so derived views (discovery) know when to rebuild. */
  get revision(): number {
    return this.#revision;
  }

  #add(made: HandlerRegistration, withMiddleware = true): this {
    validate(made);
    // No middleware, no wrapper: such registries run their handlers exactly as before.
    const registration =
      withMiddleware && this.#middleware.length > 0 ? withContextMiddleware(made, this.#middleware) : made;
    let versions = this.#handlers.get(registration.name);
    if (versions === undefined) {
      versions = new Map();
      this.#handlers.set(registration.name, versions);
    }
    if (versions.has(registration.version)) {
      throw new ServerError(
        ServerErrorCode.DuplicateHandler,
        `a handler for '${registration.name}' version ${registration.version} is already registered`,
      );
    }
    versions.set(registration.version, Object.freeze(registration));
    this.#revision++;
    return this;
  }
}

function validate(registration: HandlerRegistration): void {
  const { name, version, timeoutMs, handle } = registration;
  const problem =
    typeof name !== 'string' || name.length === 0
      ? 'the event name must be a non-empty string (set static eventName on handler classes)'
      : !Number.isInteger(version) || version < 1
        ? `version must be an integer >= 1, got ${String(version)}`
        : timeoutMs !== undefined && !(Number.isFinite(timeoutMs) && timeoutMs > 0)
          ? `timeoutMs must be a positive number, got ${String(timeoutMs)}`
          : typeof handle !== 'function'
            ? 'the handler must be a function'
            : undefined;
  if (problem !== undefined) {
    throw new ServerError(ServerErrorCode.InvalidHandler, `cannot register '${name}': ${problem}`);
  }
}
