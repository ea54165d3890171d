import { readResponseOutcome, type RequestEvent, type ResponseEvent } from '@events-protocol/core';
import type { EventLogger } from './event-logger.js';
import type { EventMetrics } from './event-metrics.js';

/**
 * When an event started, as {@link AnswerRecorder.start} hands it out: `0` when nothing records it,
 * the clock when the metrics measure it, the clock negated when only the log does.
 */
export type RecordingStart = number;

/** `performance.now()`, never 0, so the sign of a {@link RecordingStart} always says who records. */
function clock(): number {
  return performance.now() || Number.MIN_VALUE;
}

/**
 * Reports every answered event: one measurement to the metrics, one `info` line to the log
 * (name, version, id, flowId, the answer's name and the duration; never `auth`). With neither
 * on (or metrics that are not measuring), it reads no clock and builds nothing.
 */
export class AnswerRecorder {
  readonly #metrics: EventMetrics | undefined;
  readonly #logger: EventLogger;

  constructor(metrics: EventMetrics | undefined, logger: EventLogger) {
    this.#metrics = metrics;
    this.#logger = logger;
  }

  /** When an event starts, to hand back to {@link record}. */
  start(): RecordingStart {
    const metrics = this.#metrics;
    if (metrics !== undefined) {
      try {
        if (metrics.isMeasuring?.() ?? true) {
          metrics.startEvent?.();
          return clock();
        }
      } catch (error) {
        this.#metricsFailed(error);
      }
    }
    return this.#logger.isLevelEnabled('info') ? -clock() : 0;
  }

  /** Metrics that throw must not cost the caller its answer: a `warn` line instead. */
  #metricsFailed(error: unknown): void {
    if (this.#logger.isLevelEnabled('warn')) this.#logger.warn({ err: error }, 'event metrics failed');
  }

  /**
   * Records an answer (`event` is `undefined` when the body was not a readable event) and returns
   * it, so the caller can answer with the same expression.
   */
  record(answer: ResponseEvent, event: RequestEvent | undefined, started: RecordingStart): ResponseEvent {
    if (started === 0) return answer;
    const durationMs = clock() - Math.abs(started);
    if (started > 0 && this.#metrics !== undefined) {
      const outcome = readResponseOutcome(answer.name);
      const outcomeName = outcome.kind === 'error' ? outcome.errorType : outcome.kind;
      const named = event !== undefined && outcomeName !== 'eventNotFound';
      try {
        this.#metrics.recordEvent({
          name: named ? event.name : undefined,
          version: named ? event.version : undefined,
          outcome: outcomeName,
          durationMs,
        });
      } catch (error) {
        this.#metricsFailed(error);
      }
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
