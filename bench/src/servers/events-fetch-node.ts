/**
 * Ours: the web-standard fetch handler (`toFetchHandler`) on Node, served through
 * @hono/node-server's node:http bridge, which builds a `Request` per call and writes the `Response`.
 */
import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import { EventProcessor, EventRegistry, toFetchHandler } from '@events-protocol/server';
import { price, priceOrder } from '../fixture.js';
import { serve } from './serve.js';

const registry = new EventRegistry().on(priceOrder, (event) => price(event.payload));
serve(createAdaptorServer({ fetch: toFetchHandler(new EventProcessor(registry)) }) as Server);
