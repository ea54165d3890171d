import { delay, type FaultPlan } from './fault-plan.js';
import { InjectedFaultError } from './injected-fault-error.js';
import { connectionResetError } from './injected-error-event.js';

/** A publishing sink, structurally (`@events-protocol/publish`'s `Sink`). */
export interface SinkLike<TEvent, TOptions> {
  readonly name: string;
  publish(event: TEvent, options?: TOptions): Promise<void>;
  healthCheck(): Promise<boolean>;
  close?(): Promise<void>;
}

/**
 * A sink whose deliveries fail as planned: latency, a timeout (the publish hangs, then rejects), a
 * reset or a failure (rejects); the event is then not passed on. Wrap the target of an outbox or
 * webhook test to check that failed deliveries are retried and nothing is lost.
 */
export function faultySink<TEvent, TOptions>(
  sink: SinkLike<TEvent, TOptions>,
  plan: FaultPlan,
): SinkLike<TEvent, TOptions> {
  const faulty: SinkLike<TEvent, TOptions> = {
    name: `faulty(${sink.name})`,
    async publish(event, options) {
      const decision = plan.next();
      await delay(decision.latencyMs);
      switch (decision.fault) {
        case undefined:
          return sink.publish(event, options);
        case 'timeout':
          await delay(plan.hangMs);
          throw new InjectedFaultError(`injected fault: ${sink.name} did not answer in ${plan.hangMs} ms`);
        case 'reset':
          throw connectionResetError();
        case 'failure':
        case 'errorEvent':
          throw new InjectedFaultError(`injected fault: ${sink.name} refused the event`);
      }
    },
    healthCheck: () => sink.healthCheck(),
  };
  const close = sink.close?.bind(sink);
  return close === undefined ? faulty : { ...faulty, close };
}
