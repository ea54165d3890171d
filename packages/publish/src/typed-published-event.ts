import {
  describePayloadIssues,
  isPublishedEventError,
  publishedEventContractOf,
  type PublishedEventContract,
  type PublishedEventFields,
  type PublishedEventOf,
  type PublishedPayloadInput,
} from '@events-protocol/core';
import { PublishError, PublishErrorCode } from './publish-error.js';
import type { DeliveryReport, PublishedEvent, PublishOptions, Sink } from './sink.js';

/**
 * Makes a contract's event, its payload validated: `contract.create` with the publishers' error.
 *
 * @throws {PublishError} `INVALID_EVENT` with `issues` when the payload does not match the contract.
 */
export function publishedEventOf<TContract extends PublishedEventContract>(
  contract: TContract,
  payload: PublishedPayloadInput<TContract>,
  fields?: PublishedEventFields,
): PublishedEventOf<TContract> {
  try {
    return contract.create(payload, fields) as PublishedEventOf<TContract>;
  } catch (error) {
    if (!isPublishedEventError(error)) throw error;
    throw new PublishError(PublishErrorCode.InvalidEvent, error.message, { cause: error, issues: error.issues });
  }
}

/**
 * Checks an event made by a contract's `create` once more against its contract, so one whose
 * payload was changed afterwards is refused before anything stores it. Events made otherwise pass
 * through unchecked (publishers check their shape as before).
 *
 * @throws {PublishError} `INVALID_EVENT` with `issues`, naming the contract, when the payload no longer matches.
 */
export function checkContractEvent(event: PublishedEvent): void {
  const contract = publishedEventContractOf(event);
  if (contract === undefined) return;
  const checked = contract.check(event.payload);
  if (checked.valid) return;
  throw new PublishError(
    PublishErrorCode.InvalidEvent,
    `the payload of '${contract.name}' version ${contract.version} does not match its contract: ${describePayloadIssues(checked.issues)}`,
    { issues: checked.issues },
  );
}

/** Options of {@link publishEvent}: the sink's publish options and the event's own fields. */
export interface PublishEventOptions extends PublishOptions {
  /** The event's id, flowId, identity, metadata…; defaults as `contract.create`'s. */
  fields?: PublishedEventFields;
}

/**
 * Publishes a contract's event to any sink: the payload is validated first, so a bad one reaches
 * no sink (and no outbox in front of one). Resolves to the event as published and what the sink
 * reported.
 *
 * @example
 * const { event } = await publishEvent(redisSink, orderPlaced, { orderId: '42', total: 9.5 }, { topic: 'orders' });
 * @throws {PublishError} `INVALID_EVENT` with `issues` (nothing published), or what the sink rejects with.
 */
export async function publishEvent<TContract extends PublishedEventContract>(
  sink: Sink,
  contract: TContract,
  payload: PublishedPayloadInput<TContract>,
  options: PublishEventOptions = {},
): Promise<{ event: PublishedEventOf<TContract>; report: DeliveryReport | undefined }> {
  const { fields, ...publishOptions } = options;
  const event = publishedEventOf(contract, payload, fields);
  const report = await sink.publish(event, publishOptions);
  return { event, report: report ?? undefined };
}
