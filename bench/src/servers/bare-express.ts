/** Baseline: a bare Express 5 route doing the same by hand, as users write it today. */
import { createServer } from 'node:http';
import express from 'express';
import { price, type PriceOrderPayload } from '../fixture.js';
import { serve } from './serve.js';

interface WireEvent {
  name: string;
  version: number;
  id: string;
  flowId: string;
  payload: PriceOrderPayload;
}

const app = express();
app.post('/events', express.json(), (request, response) => {
  const event = request.body as WireEvent;
  response.json({
    name: `${event.name}:response`,
    version: event.version,
    id: event.id,
    flowId: event.flowId,
    payload: price(event.payload),
    identity: {},
    auth: {},
    metadata: {},
  });
});
serve(createServer(app));
