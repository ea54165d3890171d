/**
 * What the framework baselines validate and answer: the request event with the fixture's payload
 * schema, read as our server reads it (core's lenient `requestEventSchema`), and the response
 * event they write back, field for field what our server answers.
 */
import { requestEventSchema } from '@events-protocol/core';
import type { z } from 'zod';
import { price, priceOrderPayload } from '../fixture.js';

/** The request event of the bench, payload validated by the fixture's zod schema. */
export const priceOrderRequest = requestEventSchema.extend({ payload: priceOrderPayload });

/** A request event as validated by {@link priceOrderRequest}. */
export type PriceOrderRequest = z.output<typeof priceOrderRequest>;

/** The response event every server answers, in wire order. */
export function priceOrderAnswer(event: PriceOrderRequest) {
  return {
    name: `${event.name}:response`,
    version: event.version,
    id: event.id,
    flowId: event.flowId,
    payload: price(event.payload),
    identity: {},
    auth: {},
    metadata: {},
  };
}
