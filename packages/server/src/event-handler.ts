import type {
  ContractSchema,
  EventContract,
  EventDeprecation,
  ContractPayload,
  ContractResponseInput,
  RequestEvent,
  ResponseEvent,
  SchemaInput,
  SchemaOutput,
} from '@events-protocol/core';
import type { EventLogger } from './event-logger.js';
import type { TransportInfo } from './transport-info.js';

/**
 * What a handler gets besides its event. Registry middleware (`registry.use`) add typed values
 * to it: see {@link HandlerContextWith}.
 */
export interface HandlerContext {
  /** The processor's logger; log with the event's flowId for correlation. */
  readonly logger: EventLogger;
  /**
   * When the answer is due (ms since the epoch): the caller's deadline or the handler timeout,
   * whichever comes first. Events the handler sends inherit what is left of it.
   */
  readonly deadline: number;
  /**
   * Aborted when the handler's time is up (its timeout or the caller's deadline): pass it to
   * cancellable work. Created on first use, so handlers that never read it pay nothing.
   */
  readonly signal: AbortSignal;
  /**
   * What the transport knows of the request the event came in (headers, remote address): an
   * `in-process` transport with no headers when the event was processed in code. Never part of
   * the event itself.
   */
  readonly transport: TransportInfo;
}

/** The context values a registry adds when it has no middleware: none. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- nothing added: no keys
export type EmptyContext = {};

/**
 * A handler's context with the values its registry's middleware added (`TContext`, e.g.
 * `{ user: User }`): what handlers of an `EventRegistry<TContext>` receive.
 */
export type HandlerContextWith<TContext extends object = EmptyContext> = HandlerContext & Readonly<TContext>;

/**
 * What a handler may return: the success payload (answered as `<name>:response`), or a response
 * event it built itself (e.g. with `EventBuilder.redirectFor` or `EventBuilder.errorFor`).
 */
export type HandlerResult<TResponse> = TResponse | ResponseEvent;

/**
 * A function handling one event: its payload is already validated. Throw `EventError` for typed
 * errors. `TContext` is what the registry's middleware added to its context.
 */
export type EventHandlerFunction<TPayload = unknown, TResponse = unknown, TContext extends object = EmptyContext> = (
  event: RequestEvent<TPayload>,
  context: HandlerContextWith<TContext>,
) => HandlerResult<TResponse> | Promise<HandlerResult<TResponse>>;

/**
 * The handler of a contract: payload and return types come from its schemas, the context from the
 * registry. The same type as `EventHandlerFunction<ContractPayload<TContract>,
 * ContractResponseInput<TContract>, TContext>`, written out: every alias between a registration and
 * its schemas' types is instantiated again for each contract.
 */
export type ContractHandler<TContract extends EventContract, TContext extends object = EmptyContext> = (
  event: RequestEvent<SchemaOutput<TContract['payload']>>,
  context: HandlerContextWith<TContext>,
) => SchemaInput<TContract['response']> | ResponseEvent | Promise<SchemaInput<TContract['response']> | ResponseEvent>;

/** Per-handler options. */
export interface HandlerOptions {
  /** Overrides the processor's handler timeout for this handler, in milliseconds. */
  timeoutMs?: number;
  /** A sentence for discovery. */
  description?: string;
  /** Marks this version deprecated (overrides the contract's): answers and discovery say so. */
  deprecated?: EventDeprecation;
}

/**
 * A handler as a class, for handlers with dependencies: subclass it, declare `eventName`,
 * `version` and the `payload` schema (optionally `response`) as static members, and implement
 * `handle`. Register an instance with `registry.add(new GetUser(users))`. `TContext` types what
 * the registry's middleware added to the context (`{ user: User }`).
 *
 * @example
 * class GetUser extends EventHandler<z.output<typeof GetUser.payload>, User> {
 *   static override readonly eventName = 'user:get';
 *   static override readonly payload = z.object({ userId: z.string() });
 *   constructor(private readonly users: UserStore) { super(); }
 *   async handle(event: RequestEvent<{ userId: string }>) { return this.users.get(event.payload.userId); }
 * }
 */
export abstract class EventHandler<TPayload = unknown, TResponse = unknown, TContext extends object = EmptyContext> {
  /** The event name this handler answers, e.g. `user:get`. */
  static readonly eventName: string = '';
  /** The event version this handler answers; 1 by default. */
  static readonly version: number = 1;
  /** The payload schema; the handler is only called with payloads it accepts. */
  static readonly payload: ContractSchema | undefined = undefined;
  /** The success response schema; answers that fail it are server bugs (`<name>:error`). */
  static readonly response: ContractSchema | undefined = undefined;
  /** Overrides the processor's handler timeout, in milliseconds. */
  static readonly timeoutMs: number | undefined = undefined;
  /** A sentence for discovery. */
  static readonly description: string | undefined = undefined;
  /** Marks this version deprecated: answers carry `metadata.deprecation` and discovery shows it. */
  static readonly deprecated: EventDeprecation | undefined = undefined;

  /** Handles one validated event. */
  abstract handle(
    event: RequestEvent<TPayload>,
    context: HandlerContextWith<TContext>,
  ): HandlerResult<TResponse> | Promise<HandlerResult<TResponse>>;
}

/**
 * A typed base class for the handler of a contract: name, version and schemas come from the
 * contract. Name the registry's context type (`handlerClassFor<typeof getUser, AppContext>`) to
 * type what its middleware added.
 *
 * @example
 * class GetUser extends handlerClassFor(getUser) {
 *   async handle(event: RequestEvent<{ userId: string }>) { return { userId: event.payload.userId, name: 'Ada' }; }
 * }
 */
export function handlerClassFor<TContract extends EventContract, TContext extends object = EmptyContext>(
  contract: TContract,
  options: HandlerOptions = {},
) {
  abstract class ContractEventHandler extends EventHandler<
    ContractPayload<TContract>,
    ContractResponseInput<TContract>,
    TContext
  > {
    static override readonly eventName: string = contract.name;
    static override readonly version: number = contract.version;
    static override readonly payload: ContractSchema | undefined = contract.payload;
    static override readonly response: ContractSchema | undefined = contract.response;
    static override readonly timeoutMs: number | undefined = options.timeoutMs;
    static override readonly description: string | undefined = options.description ?? contract.description;
    static override readonly deprecated: EventDeprecation | undefined = options.deprecated ?? contract.deprecated;
  }
  return ContractEventHandler;
}
