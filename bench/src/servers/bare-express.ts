/** Baseline: a bare Express 5 route doing the same by hand, as users write it today. */
import { createServer } from 'node:http';
import express from 'express';
import { priceOrderAnswer, type PriceOrderWireEvent } from '../fixture.js';
import { serve } from './serve.js';

const app = express();
app.post('/events', express.json(), (request, response) => {
  const event = request.body as PriceOrderWireEvent;
  response.json(priceOrderAnswer(event));
});
serve(createServer(app));
