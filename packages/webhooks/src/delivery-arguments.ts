import {
  isPublishedEventContract,
  type PublishedEventContract,
  type PublishedEventFields,
} from '@events-protocol/core';
import { publishedEventOf, type PublishedEvent } from '@events-protocol/publish';

/** What `deliverEvent(contract, payload, options)` takes besides the store's options: the event's own fields. */
export interface ContractDeliveryFields {
  /** The event's id, flowId, identity, metadata…; defaults as `contract.create`'s. */
  fields?: PublishedEventFields;
}

/**
 * The event and options of a `deliverEvent` call, from either form: `(event, options)`, or
 * `(contract, payload, options)`, whose event is made with its payload validated.
 *
 * @throws {PublishError} `INVALID_EVENT` with `issues` for a payload the contract refuses.
 */
export function deliveryArguments(
  eventOrContract: PublishedEvent | PublishedEventContract,
  rest: readonly unknown[],
): { event: PublishedEvent; options: object | undefined } {
  if (!isPublishedEventContract(eventOrContract)) {
    return { event: eventOrContract, options: rest[0] as object | undefined };
  }
  const { fields, ...options } = (rest[1] ?? {}) as ContractDeliveryFields;
  return { event: publishedEventOf(eventOrContract, rest[0], fields), options };
}
