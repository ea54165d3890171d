import {
  answerEventRequest,
  writeAnswer,
  defaultMaxBodyBytes,
  describeEvents,
  writeJsonText,
  writeTransportRefusal,
  type EventProcessor,
} from '@events-protocol/server';
import { Router, type Request, type Response } from 'express';

/** How {@link eventsRouter} mounts the protocol. */
export interface EventsRouterOptions {
  /** The events route; `/events` by default (`/events/` is served too). */
  path?: string;
  /** The largest body read, in bytes; 1 MiB by default. Larger bodies answer 413 with `badProtocol`. */
  maxBodyBytes?: number;
  /** Serve the discovery document (registered events with their JSON Schemas) on `GET <path>`. */
  discovery?: boolean;
}

/**
 * An Express 5 router serving the events protocol: `POST /events` answers HTTP 200 with the
 * response event, bodies over the limit answer 413 and non-JSON bodies 415, both with a
 * `badProtocol` event, never Express's HTML error page.
 *
 * Mount it before `express.json()` (it reads and limits the body itself); if a body parser ran
 * first, its parsed `req.body` is used as is.
 *
 * @example
 * const app = express();
 * app.use(eventsRouter(new EventProcessor(registry), { discovery: true }));
 * app.listen(8080);
 */
export function eventsRouter(processor: EventProcessor, options: EventsRouterOptions = {}): Router {
  const path = (options.path ?? '/events').replace(/\/+$/, '') || '/';
  const maxBodyBytes = options.maxBodyBytes ?? defaultMaxBodyBytes;
  const router = Router({ strict: false });

  router.post(path, (request: Request, response: Response) => {
    const parsed: unknown = request.body;
    if (parsed === undefined) {
      answerEventRequest(processor, request, response, maxBodyBytes);
      return;
    }
    writeAnswer(processor, request, parsed, response);
  });
  if (options.discovery === true) {
    router.get(path, (_request: Request, response: Response) => {
      writeJsonText(response, 200, JSON.stringify(describeEvents(processor.registry)));
    });
  }
  router.all(path, (request: Request, response: Response) => {
    request.resume();
    writeTransportRefusal(response, 405, { allow: options.discovery === true ? 'POST, GET' : 'POST' });
  });
  return router;
}
