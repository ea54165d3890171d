import {
  readResponseOutcome,
  type ContractPayload,
  type ContractPayloadInput,
  type ContractResponse,
  type ContractResponseInput,
  type EventContract,
  type RequestEvent,
  validateSchema,
} from '@events-protocol/core';
import type { EventHandlerFunction } from './event-handler.js';
import { isResponseEventFor } from './handler-answers.js';
import { handlerRegistration, type HandlerLookup, type HandlerRegistration } from './handler-registration.js';
import { ServerError, ServerErrorCode } from './server-error.js';

/** How an old version's events become the new version's, and the answers go back. */
export interface EventUpcaster<TFrom extends EventContract, TTo extends EventContract> {
  /** The old payload (validated by the old contract) as the new contract's payload input. */
  payload: (payload: ContractPayload<TFrom>) => ContractPayloadInput<TTo>;
  /** The new version's success payload as the old contract's response; unchanged by default. */
  response?: (response: ContractResponse<TTo>) => ContractResponseInput<TFrom>;
}

/** What {@link upcastRegistration} connects: an old contract, the newer one, and the conversions. */
interface UpcastOptions {
  /** Where the newer version's handler is found, per event. */
  registry: HandlerLookup;
  from: EventContract;
  to: EventContract;
  convert: EventUpcaster<EventContract, EventContract>;
}

/**
 * The registration of an old version that runs the newer version's handler. The newer handler is
 * looked up per event, so it may be registered after the upcast, or be an upcast itself.
 */
export function upcastRegistration(options: UpcastOptions): HandlerRegistration {
  const { registry, from, to, convert } = options;
  if (from.name !== to.name || !(to.version > from.version)) {
    throw new ServerError(
      ServerErrorCode.InvalidHandler,
      `cannot upcast '${from.name}' v${from.version} to '${to.name}' v${to.version}: same name, newer version expected`,
    );
  }
  const handle: EventHandlerFunction = async (event, context) => {
    const target = registry.find(to.name, to.version);
    if (target === undefined) {
      throw new ServerError(ServerErrorCode.InvalidHandler, `no handler for '${to.name}' v${to.version} to upcast to`);
    }
    // The newer version validates its own payload: an upcaster bug is a server error, not the caller's.
    const checked = await validateSchema(to.payload, convert.payload(event.payload));
    if (!checked.ok) {
      throw new Error(`upcasting '${from.name}' v${from.version} produced an invalid v${to.version} payload`, {
        cause: checked.issues,
      });
    }
    const upcasted: RequestEvent = { ...event, version: to.version, payload: checked.value };
    const result: unknown = await target.handle(upcasted, context);
    if (isResponseEventFor(upcasted, result)) {
      const success = readResponseOutcome(result.name).kind === 'success';
      const payload = success && convert.response !== undefined ? convert.response(result.payload) : result.payload;
      return { ...result, version: event.version, payload };
    }
    return convert.response === undefined ? result : convert.response(result);
  };
  return handlerRegistration({
    name: from.name,
    version: from.version,
    payload: from.payload,
    response: from.response,
    description: from.description,
    deprecated: from.deprecated,
    errors: from.errors,
    handle,
  });
}
