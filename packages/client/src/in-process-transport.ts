import { writeJson, type ResponseEvent } from '@events-protocol/core';
import {
  TransportTimeoutError,
  type EventTransport,
  type TransportAnswer,
  type TransportRequest,
} from './event-transport.js';

/**
 * Anything that answers request events in this process: the server's `EventProcessor` fits.
 * Structural, so the client does not depend on the server package.
 */
export interface InProcessEventProcessor {
  processEvent(input: unknown, options?: { deadline?: number }): Promise<ResponseEvent>;
}

const deadlineMarginMs = 5;

/**
 * Calls a processor directly, no sockets: the event still goes through JSON both ways, so what a
 * test sees is what the wire would carry.
 */
export class InProcessTransport implements EventTransport {
  readonly #processor: InProcessEventProcessor;

  constructor(processor: InProcessEventProcessor) {
    this.#processor = processor;
  }

  send(request: TransportRequest): Promise<TransportAnswer> {
    const { signal } = request;
    if (signal?.aborted === true) return Promise.reject(abortError(signal));
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(abortError(signal));
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        reject(new TransportTimeoutError(`no answer within ${request.timeoutMs} ms`));
      }, request.timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      // The processor's deadline falls just after this timer, as over HTTP where the header arrives later.
      this.#processor.processEvent(request.body, { deadline: Date.now() + request.timeoutMs + deadlineMarginMs }).then(
        (answer) => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          try {
            resolve({ status: 200, body: writeJson(answer) });
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        },
        (error: unknown) => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

function abortError(signal: AbortSignal | undefined): Error {
  return new DOMException(String(signal?.reason ?? 'aborted'), 'AbortError');
}
