import { createServer } from 'node:http';
import { eventsRouter } from '@events-protocol/express-adapter';
import { createEventServer, EventProcessor, EventRegistry } from '@events-protocol/server';
import express from 'express';
import { listen, type RunningServer } from '../support/http-server.js';

/** The processor the conformance kit needs: one handler that answers its payload unchanged. */
export function echoProcessor(name = 'conformance:echo', version = 1): EventProcessor {
  return new EventProcessor(new EventRegistry().register({ name, version, handler: (event) => event.payload }));
}

/** Our node:http adapter serving the echo handler on `/events` at a free port. */
export function startNodeHttpEcho(name?: string, version?: number): Promise<RunningServer> {
  return listen(createEventServer(echoProcessor(name, version)));
}

/** Our Express adapter serving the echo handler on `/events` at a free port. */
export function startExpressEcho(name?: string, version?: number): Promise<RunningServer> {
  const app = express();
  app.use(eventsRouter(echoProcessor(name, version)));
  return listen(createServer(app));
}
