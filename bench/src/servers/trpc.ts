/** The peer: tRPC 11 on its standalone node adapter, with an equivalent zod-validated procedure. */
import { initTRPC } from '@trpc/server';
import { createHTTPServer } from '@trpc/server/adapters/standalone';
import { price, priceOrderPayload } from '../fixture.js';
import { serve } from './serve.js';

const t = initTRPC.create();
const router = t.router({ price: t.procedure.input(priceOrderPayload).mutation(({ input }) => price(input)) });
serve(createHTTPServer({ router }));
