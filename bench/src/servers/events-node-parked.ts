/** The memory bench's subject: the node:http adapter, its handler held until released. */
import { createEventServer, EventProcessor, EventRegistry } from '@events-protocol/server';
import { price, priceOrder } from '../fixture.js';
import { ParkGate } from './park-gate.js';
import { serve } from './serve.js';

const gate = new ParkGate();
const registry = new EventRegistry().on(priceOrder, async (event) => {
  await gate.wait();
  return price(event.payload);
});
serve(createEventServer(new EventProcessor(registry)));
