/** Ours: the Express adapter with the same contract-validated handler. */
import { createServer } from 'node:http';
import { eventsRouter } from '@events-protocol/express-adapter';
import { EventProcessor, EventRegistry } from '@events-protocol/server';
import express from 'express';
import { price, priceOrder } from '../fixture.js';
import { serve } from './serve.js';

const registry = new EventRegistry().on(priceOrder, (event) => price(event.payload));
const app = express();
app.use(eventsRouter(new EventProcessor(registry)));
serve(createServer(app));
