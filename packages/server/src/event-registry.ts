import type { EventContract } from '@events-protocol/core';
import type { z } from 'zod';
import type { ContractHandler, EventHandler, EventHandlerFunction, HandlerOptions } from './event-handler.js';
import { handlerRegistration, type HandlerRegistration } from './handler-registration.js';
import { ServerError, ServerErrorCode } from './server-error.js';
import { upcastRegistration, type EventUpcaster } from './upcast.js';

/** A plain registration: a name, a version, an optional schema and a function. */
export interface HandlerDefinition<TPayload = unknown, TResponse = unknown> extends HandlerOptions {
  name: string;
  /** 1 by default. */
  version?: number;
  payload?: z.ZodType<TPayload>;
  response?: z.ZodType;
  handler: EventHandlerFunction<TPayload, TResponse>;
}

type EventHandlerClass = typeof EventHandler;

/**
 * Handlers keyed by event name and version. Registering the same name and version twice fails at
 * registration, never at request time.
 *
 * @example
 * const registry = new EventRegistry()
 *   .on(getUser, async (event) => users.get(event.payload.userId))
 *   .register({ name: 'ping', handler: () => 'pong' })
 *   .add(new DeleteUser(users));
 */
export class EventRegistry {
  // name → version → handler: routing needs no string building per request.
  readonly #handlers = new Map<string, Map<number, HandlerRegistration>>();
  #revision = 0;

  /**
   * Registers a contract's handler; its payload and return types are inferred from the contract.
   *
   * @throws {ServerError} `DUPLICATE_HANDLER` when the name and version are taken.
   */
  on<TContract extends EventContract>(
    contract: TContract,
    handler: ContractHandler<TContract>,
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
  register<TPayload, TResponse>(definition: HandlerDefinition<TPayload, TResponse>): this {
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
  add(handler: EventHandler<never>): this {
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
   * and its callers are told so on every answer. Chains work: v1 → v2 → v3.
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
    return this.#add(upcastRegistration({ registry: this, from, to, convert }));
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

  #add(registration: HandlerRegistration): this {
    validate(registration);
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
