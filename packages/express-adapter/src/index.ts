export { eventsRouter } from './events-router.js';
export type { EventsRouterOptions } from './events-router.js';
