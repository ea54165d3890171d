import { checkContractEvent, PublishError, serializeEvent, type PublishedEvent } from '@events-protocol/publish';

/**
 * Refuses an event JSON cannot carry, or made by a contract whose payload no longer matches it,
 * naming its place in a batch of several: checked for every event before any is stored.
 *
 * @throws {PublishError} `SERIALIZATION_FAILED`, or `INVALID_EVENT` with `issues`.
 */
export function checkDeliverable(event: PublishedEvent, index: number, events: readonly PublishedEvent[]): void {
  try {
    checkContractEvent(event);
    serializeEvent(event, 'webhooks');
  } catch (error) {
    if (events.length === 1 || !(error instanceof PublishError)) throw error;
    const { cause, issues } = error;
    throw new PublishError(error.code, `event ${index} of the batch: ${error.message}`, {
      cause,
      sink: 'webhooks',
      issues,
    });
  }
}
