// `@events-protocol/webhooks/express`: the admin router, for applications on Express 5 (an
// optional peer dependency, loaded only by this entry).
export { webhooksRouter } from './webhooks-router.js';
export type { WebhooksRouterOptions } from './webhooks-router.js';
