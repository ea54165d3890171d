/** Ours: the node:http adapter with a contract-validated handler. */
import { createEventServer, EventProcessor, EventRegistry } from '@events-protocol/server';
import { price, priceOrder } from '../fixture.js';
import { serve } from './serve.js';

const registry = new EventRegistry().on(priceOrder, (event) => price(event.payload));
serve(createEventServer(new EventProcessor(registry)));
