/**
 * What the framework baselines validate and answer: the request event with the fixture's payload
 * schema, read as our server reads it (core's lenient `requestEventSchema`); they answer with the
 * fixture's `priceOrderAnswer`.
 */
import { requestEventSchema } from '@events-protocol/core';
import type { z } from 'zod';
import { priceOrderPayload } from '../fixture.js';

/** The request event of the bench, payload validated by the fixture's zod schema. */
export const priceOrderRequest = requestEventSchema.extend({ payload: priceOrderPayload });

/** A request event as validated by {@link priceOrderRequest}. */
export type PriceOrderRequest = z.output<typeof priceOrderRequest>;
