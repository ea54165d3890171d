import { EventProcessor, ServerError, ServerErrorCode, type EventProcessorOptions } from '@events-protocol/server';
import type { FastifyBaseLogger } from 'fastify';
import { eventLoggerFromFastify } from './fastify-event-logger.js';

/** A registry the plugin can serve: whatever an `EventProcessor` is built from. */
export type ServableRegistry = ConstructorParameters<typeof EventProcessor>[0];

/** Where the plugin serves the protocol and how it answers; shared by both ways of naming the processor. */
export interface EventsRouteOptions {
  /**
   * The events route inside the plugin's prefix, matched case-sensitively; `/events` by default.
   * The same path with one trailing slash is served too.
   */
  path?: string;
  /** Serve the discovery document on `GET` and `HEAD` of the route (default `false`). */
  discovery?: boolean;
  /**
   * The largest body read, in bytes: the route's Fastify `bodyLimit`. Larger bodies answer 413
   * with a `badProtocol` event. The app's `bodyLimit` (1 MiB by default) when not said.
   */
  maxBodyBytes?: number;
  /**
   * How long `app.close()` waits for events still being processed, in ms; 10 s by default. Events
   * still running after it are logged and left behind.
   */
  closeGraceMs?: number;
}

/** The plugin serving a processor built elsewhere (shared with other transports, say). */
export interface EventsPluginProcessorOptions extends EventsRouteOptions {
  /** Processes the events posted to the route; its own logger is kept. */
  processor: EventProcessor;
  registry?: never;
  processorOptions?: never;
}

/** The plugin building its processor from a registry, logging through the app's logger. */
export interface EventsPluginRegistryOptions extends EventsRouteOptions {
  /** The handlers to serve. */
  registry: ServableRegistry;
  /** How the processor behaves; its `logger` is the app's (`fastify.log`) unless one is given. */
  processorOptions?: EventProcessorOptions;
  processor?: never;
}

/**
 * What `app.register(eventsPlugin, options)` takes: a `processor`, or a `registry` (with
 * `processorOptions`) to build one from, plus where and how the route answers. Fastify's own
 * register options (`prefix`, `logLevel`) apply as for any plugin.
 */
export type EventsPluginOptions = EventsPluginProcessorOptions | EventsPluginRegistryOptions;

/** {@link EventsPluginOptions} checked, with the processor made and the defaults filled in. */
export interface ResolvedEventsPluginOptions {
  readonly processor: EventProcessor;
  readonly path: string;
  readonly discovery: boolean;
  readonly maxBodyBytes: number;
  readonly closeGraceMs: number;
}

/** The default time `app.close()` waits for events in flight: 10 seconds. */
export const defaultCloseGraceMs = 10_000;

function invalid(message: string): ServerError {
  return new ServerError(ServerErrorCode.InvalidOptions, `eventsPlugin: ${message}`);
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw invalid(`${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

function processorOf(options: EventsPluginOptions, log: FastifyBaseLogger): EventProcessor {
  const { processor, registry } = options as { processor?: unknown; registry?: unknown };
  if (processor !== undefined && registry !== undefined) throw invalid('give either processor or registry, not both');
  if (processor instanceof EventProcessor) return processor;
  if (processor !== undefined) throw invalid('processor must be an EventProcessor');
  if (registry === undefined) throw invalid('give a processor or a registry');
  const processorOptions = (options as EventsPluginRegistryOptions).processorOptions ?? {};
  return new EventProcessor(registry as ServableRegistry, {
    ...processorOptions,
    logger: processorOptions.logger ?? eventLoggerFromFastify(log),
  });
}

/**
 * Checks the plugin's options and makes the processor when a registry is given. `appBodyLimit` is
 * the Fastify app's `bodyLimit`, the default of `maxBodyBytes`.
 *
 * @throws {ServerError} `INVALID_OPTIONS` for both or neither of `processor` and `registry`, a
 * path not starting with `/`, or a body limit or grace period that is not a positive integer.
 */
export function resolveEventsPluginOptions(
  options: EventsPluginOptions,
  log: FastifyBaseLogger,
  appBodyLimit: number,
): ResolvedEventsPluginOptions {
  const path = options.path ?? '/events';
  if (!path.startsWith('/')) throw invalid(`path must start with "/", got ${JSON.stringify(path)}`);
  return {
    processor: processorOf(options, log),
    path,
    discovery: options.discovery ?? false,
    maxBodyBytes: positiveInteger('maxBodyBytes', options.maxBodyBytes ?? appBodyLimit),
    closeGraceMs: positiveInteger('closeGraceMs', options.closeGraceMs ?? defaultCloseGraceMs),
  };
}
