export { eventsRouter } from './events-router.js';
export type { EventsRouterOptions } from './events-router.js';
// The same slow-client bounds as createEventServer, for the server an Express app listens on.
export { applyServerLimits, defaultServerLimits } from '@events-protocol/server';
export type { ServerLimits } from '@events-protocol/server';
