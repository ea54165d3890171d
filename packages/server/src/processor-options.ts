import { defaultMaxJsonDepth } from '@events-protocol/core';
import { silentLogger, type EventLogger } from './event-logger.js';
import type { EventMetrics } from './event-metrics.js';
import type { EventMiddleware } from './middleware.js';
import { resolveReplayOptions, type ReplayOptions, type ResolvedReplayOptions } from './replay-once.js';
import { ServerError, ServerErrorCode } from './server-error.js';
import type { TraceCarrier } from './trace-carrier.js';
import type { TransportInfo } from './transport-info.js';

/** The default time a handler may run before it is answered `HANDLER_TIMEOUT`: 10 seconds. */
export const defaultHandlerTimeoutMs = 10_000;

/** The default number of events a processor handles at once before answering `OVERLOADED`: 1,000. */
export const defaultMaxInFlight = 1000;

/** How an `EventProcessor` behaves. */
export interface EventProcessorOptions {
  /** A pino-compatible logger; silent by default. `auth` is never logged. */
  logger?: EventLogger;
  /** How long a handler may run, in ms; {@link defaultHandlerTimeoutMs} by default. Handlers may override it. */
  handlerTimeoutMs?: number;
  /**
   * How many events may be in their handlers at once; {@link defaultMaxInFlight} by default. Past
   * it, events are answered `<name>:error` with code `OVERLOADED` at once, without running the
   * handler, so a flood cannot exhaust memory. Callers may retry later.
   */
  maxInFlight?: number;
  /** Require all eight fields of the event (default: lenient, see PROTOCOL.md). */
  strict?: boolean;
  /** Counts and times every answered event by name, version and outcome (e.g. `PrometheusEventMetrics`). */
  metrics?: EventMetrics;
  /**
   * The deepest JSON nesting read from a body (512 by default): deeper bodies are answered
   * `badProtocol` before anything walks them.
   */
  maxJsonDepth?: number;
  /**
   * Functions around every handled event, outermost first, before payload validation; they see
   * `context.transport`. Registry middleware (`registry.use`) add typed values for handlers.
   */
  middleware?: readonly EventMiddleware[];
  /**
   * Idempotent replay (off by default): a repeated event id (same name and version) within the
   * retention gets the stored answer instead of a second run, and concurrent duplicates wait for
   * the first. See {@link ReplayOptions}.
   */
  replay?: ReplayOptions;
  /**
   * Run handlers inside the event's flow context, so events they send carry its `flowId` and
   * deadline (default `true`). The context is entered only once something in the process reads it
   * (an `EventClient` or a publisher exists, see `useEventContext`): until then it costs nothing.
   * Turn off only when handlers never call other services.
   */
  flowContext?: boolean;
}

/** What the transport knows about one event besides its body. */
export interface ProcessEventOptions {
  /**
   * When the caller stops waiting (ms since the epoch), e.g. from the `x-events-deadline-ms`
   * header. Without it, an absolute `metadata.deadline` of the event is used when present. An
   * event past its deadline is answered `DEADLINE_EXCEEDED` without running the handler.
   */
  deadline?: number;
  /**
   * Where the caller's trace context is (the HTTP request's headers); the event's `metadata` is
   * read when it has no `traceparent`.
   */
  traceCarrier?: TraceCarrier;
  /**
   * What the transport knows of the request (headers, remote address), given to middleware and
   * handlers as `context.transport`; an `in-process` transport with no headers when not said.
   */
  transport?: TransportInfo;
}

/** {@link EventProcessorOptions} with every default filled in and every limit checked. */
export interface ResolvedProcessorOptions {
  readonly logger: EventLogger;
  readonly handlerTimeoutMs: number;
  readonly maxInFlight: number;
  readonly strict: boolean;
  /** What the JSON reader is given, made once so no object is built per event. */
  readonly jsonOptions: { readonly maxDepth: number };
  readonly middleware: readonly EventMiddleware[];
  readonly flowContext: boolean;
  readonly metrics: EventMetrics | undefined;
  readonly replay: ResolvedReplayOptions | undefined;
}

function positiveOption(name: string, value: number): number {
  if (!(value > 0)) {
    throw new ServerError(ServerErrorCode.InvalidOptions, `${name} must be a positive number, got ${String(value)}`);
  }
  return value;
}

/**
 * Fills in the defaults of a processor's options and checks its limits. The middleware list is
 * copied, so a caller changing its array later changes nothing.
 *
 * @throws {ServerError} `INVALID_OPTIONS` for a handler timeout, in-flight limit or JSON depth
 * that is not a positive number.
 */
export function resolveProcessorOptions(options: EventProcessorOptions): ResolvedProcessorOptions {
  const handlerTimeoutMs = positiveOption('handlerTimeoutMs', options.handlerTimeoutMs ?? defaultHandlerTimeoutMs);
  return {
    logger: options.logger ?? silentLogger,
    handlerTimeoutMs,
    maxInFlight: positiveOption('maxInFlight', options.maxInFlight ?? defaultMaxInFlight),
    strict: options.strict ?? false,
    jsonOptions: { maxDepth: positiveOption('maxJsonDepth', options.maxJsonDepth ?? defaultMaxJsonDepth) },
    middleware: [...(options.middleware ?? [])],
    flowContext: options.flowContext ?? true,
    metrics: options.metrics,
    replay: options.replay === undefined ? undefined : resolveReplayOptions(options.replay, handlerTimeoutMs),
  };
}
