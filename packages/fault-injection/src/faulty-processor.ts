import type { ResponseEvent } from '@events-protocol/core';
import { delay, type FaultPlan } from './fault-plan.js';
import { connectionResetError, injectedErrorEvent } from './injected-error-event.js';

/** What a processor looks like from outside: the server's `EventProcessor` fits. */
export interface ProcessorLike {
  processEvent(input: unknown, options?: { deadline?: number }): Promise<ResponseEvent>;
}

/**
 * A processor that misbehaves as planned before (or instead of) the real one: latency, a timeout
 * (held until the caller's deadline), a reset (the promise rejects with `ECONNRESET`, which
 * `EventClient.inProcess` reads as an unreachable server), or an error event.
 *
 * @example
 * const client = EventClient.inProcess(withFaults(processor, new FaultPlan({ seed: 1, reset: { rate: 0.2 } })));
 */
export function withFaults(processor: ProcessorLike, plan: FaultPlan): ProcessorLike {
  return {
    async processEvent(input, options) {
      const decision = plan.next();
      await delay(decision.latencyMs);
      switch (decision.fault) {
        case undefined:
          return processor.processEvent(input, options);
        case 'timeout': {
          const deadline = options?.deadline;
          await delay(deadline === undefined ? plan.hangMs : Math.max(0, deadline - Date.now()) + 1000);
          return processor.processEvent(input, options);
        }
        case 'reset':
        case 'failure':
          throw connectionResetError();
        case 'errorEvent':
          return injectedErrorEvent(input, plan);
      }
    },
  };
}
