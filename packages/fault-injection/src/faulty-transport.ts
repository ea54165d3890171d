import { writeJson } from '@events-protocol/core';
import { delay, type FaultPlan } from './fault-plan.js';
import { connectionResetError, injectedErrorEvent } from './injected-error-event.js';

/** An `EventClient` transport, structurally (`@events-protocol/client`'s `EventTransport`). */
export interface TransportLike {
  send(request: {
    readonly body: string;
    readonly headers: readonly string[];
    readonly timeoutMs: number;
    readonly signal?: AbortSignal;
  }): Promise<{ readonly status: number; readonly body: string }>;
  close(): Promise<void>;
}

/**
 * A client transport that misbehaves as planned before (or instead of) the real one: latency, a
 * timeout (the attempt's time passes without an answer), a reset (`ECONNRESET`), an error event,
 * or HTTP 503. Pass it as `new EventClient({ transport })`.
 */
export function faultyTransport(transport: TransportLike, plan: FaultPlan): TransportLike {
  return {
    async send(request) {
      const decision = plan.next();
      await delay(decision.latencyMs);
      switch (decision.fault) {
        case undefined:
          return transport.send(request);
        case 'timeout':
          await delay(request.timeoutMs);
          throw Object.assign(new Error(`injected fault: no answer within ${request.timeoutMs} ms`), {
            code: 'EVENTS_TRANSPORT_TIMEOUT',
          });
        case 'reset':
          throw connectionResetError();
        case 'failure':
          return { status: 503, body: 'injected fault: service unavailable' };
        case 'errorEvent':
          return { status: 200, body: writeJson(injectedErrorEvent(request.body, plan)) };
      }
    },
    close: () => transport.close(),
  };
}
