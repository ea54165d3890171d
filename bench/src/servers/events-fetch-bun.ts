/** Ours on Bun (run by the bun binary): `Bun.serve({ fetch: toFetchHandler(processor) })`. */
import { EventProcessor, EventRegistry, toFetchHandler } from '@events-protocol/server';
import { price, priceOrder } from '../fixture.js';
import { serveWithBun } from './bun-serve.js';

const registry = new EventRegistry().on(priceOrder, (event) => price(event.payload));
serveWithBun(toFetchHandler(new EventProcessor(registry)));
