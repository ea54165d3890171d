import { EventBuilder, readJsonBody, readRequestEvent, type ResponseEvent } from '@events-protocol/core';
import type { FaultPlan } from './fault-plan.js';

/** The code of injected error events, unless the plan names another. */
export const injectedFaultCode = 'INJECTED_FAULT';

/** The error event a plan answers instead of the handler, for a request body or parsed value. */
export function injectedErrorEvent(input: unknown, plan: FaultPlan): ResponseEvent {
  let value = input;
  if (typeof input === 'string' || input instanceof Uint8Array) {
    try {
      value = readJsonBody(input);
    } catch {
      return EventBuilder.badProtocol({});
    }
  }
  const read = readRequestEvent(value);
  if (!read.ok) return EventBuilder.badProtocol(read);
  const { errorType = 'error', code = injectedFaultCode } = plan.options.errorEvent ?? {};
  return EventBuilder.errorFor(read.event, errorType, { code, parameters: { injected: true } });
}

/** An error like the one a reset connection gives (`ECONNRESET`). */
export function connectionResetError(): Error {
  return Object.assign(new Error('injected fault: connection reset by peer'), { code: 'ECONNRESET' });
}
