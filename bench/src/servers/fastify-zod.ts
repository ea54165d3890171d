/**
 * Baseline: a Fastify 5 route, POST /events, its body validated by zod through
 * fastify-type-provider-zod, as a Fastify user writes it.
 */
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { priceOrderAnswer } from '../fixture.js';
import { priceOrderRequest } from './price-order-request.js';

const app = Fastify({ keepAliveTimeout: 60_000 });
app.setValidatorCompiler(validatorCompiler);
app.setSerializerCompiler(serializerCompiler);
app
  .withTypeProvider<ZodTypeProvider>()
  .post('/events', { schema: { body: priceOrderRequest } }, (request) => priceOrderAnswer(request.body));

const address = await app.listen({ port: Number(process.argv[2] ?? 0), host: '127.0.0.1' });
process.stdout.write(`listening ${new URL(address).port}\n`);
