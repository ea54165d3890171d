// `@events-protocol/topics/express`: the operators' router over an outbox, for applications on
// Express 5 (an optional peer dependency, loaded only by this entry).
export { undeliveredRouter } from './undelivered-router.js';
export type { UndeliveredRouterOptions } from './undelivered-router.js';
