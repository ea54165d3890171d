import type { IncomingMessage } from 'node:http';
import { EventRoute, type EventProcessor } from '@events-protocol/server';
import { Router, type NextFunction, type Request, type Response } from 'express';

/** How {@link eventsRouter} mounts the protocol. */
export interface EventsRouterOptions {
  /** The events route, matched case-sensitively; `/events` by default (`/events/` is served too). */
  path?: string;
  /** The largest body read, in bytes; 1 MiB by default. Larger bodies answer 413 with `badProtocol`. */
  maxBodyBytes?: number;
  /** Serve the discovery document (registered events with their JSON Schemas) on `GET <path>` (and `HEAD`). */
  discovery?: boolean;
}

/**
 * An Express 5 router serving the events protocol with the same route policy as the node:http
 * adapter ({@link EventRoute}): `POST /events` answers HTTP 200 with the response event, bodies
 * over the limit answer 413, non-JSON bodies 415 and other methods 405, with a `badProtocol` event,
 * never Express's HTML error page. Other paths go on to the rest of the app.
 *
 * Mount it before `express.json()` (it reads and limits the body itself); if a body parser ran
 * first, its parsed `req.body` is used as is.
 *
 * Handlers and middleware see the request as `context.transport`: its headers, method, URL, and
 * `req.ip` as `remoteAddress`, so the app's `trust proxy` setting decides whether
 * `X-Forwarded-For` counts.
 *
 * @example
 * const app = express();
 * app.use(eventsRouter(new EventProcessor(registry), { discovery: true }));
 * app.listen(8080);
 */
export function eventsRouter(processor: EventProcessor, options: EventsRouterOptions = {}): Router {
  const route = new EventRoute({ processor, ...options, getRemoteAddress: expressClientAddress });
  const router = Router();
  router.use((request: Request, response: Response, next: NextFunction) => {
    if (!route.serve(request, response, request.body)) next();
  });
  return router;
}

/** The client's address as Express sees it: `req.ip`, which follows the app's `trust proxy` setting. */
function expressClientAddress(request: IncomingMessage): string | undefined {
  return (request as Request).ip;
}
