import type { RequestEvent, ResponseEvent } from '@events-protocol/core';
import type { EventRun } from './event-run.js';
import { answerForResult, outOfTimeAnswer } from './handler-answers.js';

function asError(thrown: unknown): Error {
  return thrown instanceof Error ? thrown : new Error(String(thrown), { cause: thrown });
}

/**
 * The answer to a handler's pending result, or `HANDLER_TIMEOUT`/`DEADLINE_EXCEEDED` when the
 * run's deadline comes first: then the run's signal is aborted and the late result is ignored.
 * Rejects with what the handler rejected with (as an `Error`), for the one normaliser to answer.
 */
export function answerInTime(run: EventRun, event: RequestEvent, result: PromiseLike<unknown>): Promise<ResponseEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => {
        const { cause, timeoutMs } = run;
        run.logger.warn(
          { event: event.name, version: event.version, id: event.id, flowId: event.flowId, timeoutMs, cause },
          cause === 'timeout' ? 'handler timed out' : 'deadline passed while the handler ran',
        );
        run.abort(new Error(cause === 'timeout' ? `handler timed out after ${timeoutMs} ms` : 'deadline exceeded'));
        resolve(outOfTimeAnswer(event, cause, timeoutMs));
      },
      Math.max(0, run.deadline - Date.now()),
    );
    result.then(
      (value: unknown) => {
        clearTimeout(timer);
        try {
          resolve(answerForResult(run.registration, event, value, run.logger));
        } catch (error) {
          reject(asError(error));
        }
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(asError(error));
      },
    );
  });
}
