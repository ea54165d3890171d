/** Ours: the @events-protocol/fastify plugin in a Fastify 5 app, the same contract handler. */
import { eventsPlugin } from '@events-protocol/fastify';
import { EventRegistry } from '@events-protocol/server';
import Fastify from 'fastify';
import { price, priceOrder } from '../fixture.js';

const registry = new EventRegistry().on(priceOrder, (event) => price(event.payload));
const app = Fastify({ keepAliveTimeout: 60_000 });
await app.register(eventsPlugin, { registry });

const address = await app.listen({ port: Number(process.argv[2] ?? 0), host: '127.0.0.1' });
process.stdout.write(`listening ${new URL(address).port}\n`);
