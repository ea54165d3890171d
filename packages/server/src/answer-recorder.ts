import { readResponseOutcome, type RequestEvent, type ResponseEvent } from '@events-protocol/core';
import type { EventLogger } from './event-logger.js';
import type { EventMetrics } from './event-metrics.js';

/**
 * Reports every answered event: one measurement to the metrics, one `info` line to the log
 * (name, version, id, flowId, the answer's name and the duration; never `auth`). With neither
 * on, it reads no clock and builds nothing.
 */
export class AnswerRecorder {
  readonly #metrics: EventMetrics | undefined;
  readonly #logger: EventLogger;

  constructor(metrics: EventMetrics | undefined, logger: EventLogger) {
    this.#metrics = metrics;
    this.#logger = logger;
  }

  /** When an event starts, to hand back to {@link record}: `0` when nothing will be recorded. */
  start(): number {
    return this.#metrics !== undefined || this.#logger.isLevelEnabled('info') ? performance.now() : 0;
  }

  /**
   * Records an answer (`event` is `undefined` when the body was not a readable event) and returns
   * it, so the caller can answer with the same expression.
   */
  record(answer: ResponseEvent, event: RequestEvent | undefined, started: number): ResponseEvent {
    if (started === 0) return answer;
    const durationMs = performance.now() - started;
    if (this.#metrics !== undefined) {
      const outcome = readResponseOutcome(answer.name);
      this.#metrics.recordEvent({
        name: event?.name,
        version: event?.version,
        outcome: outcome.kind === 'error' ? outcome.errorType : outcome.kind,
        durationMs,
      });
    }
    if (this.#logger.isLevelEnabled('info')) {
      this.#logger.info(
        {
          event: event?.name,
          version: event?.version,
          id: answer.id,
          flowId: answer.flowId,
          outcome: answer.name,
          durationMs: Math.round(durationMs * 1000) / 1000,
        },
        'event processed',
      );
    }
    return answer;
  }
}
