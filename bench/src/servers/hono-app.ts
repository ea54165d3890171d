/** The Hono app of the Hono baselines (on Node and on Bun): POST /events with its zod validator. */
import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { priceOrderAnswer } from '../fixture.js';
import { priceOrderRequest } from './price-order-request.js';

/** POST /events, validated by zod, answered with the response event. */
export const honoApp = new Hono().post('/events', zValidator('json', priceOrderRequest), (c) =>
  c.json(priceOrderAnswer(c.req.valid('json'))),
);
