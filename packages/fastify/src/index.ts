export { eventsPlugin } from './events-plugin.js';
export { defaultCloseGraceMs } from './events-plugin-options.js';
export type {
  EventsPluginOptions,
  EventsPluginProcessorOptions,
  EventsPluginRegistryOptions,
  EventsRouteOptions,
  ServableRegistry,
} from './events-plugin-options.js';

// For adapter authors: the processor's logger over a Fastify logger.
export { eventLoggerFromFastify } from './fastify-event-logger.js';
