import type { RequestEvent } from '@events-protocol/core';
import type { ClientLogger } from './client-options.js';

/** Tells once per event name and version that a server deprecated it: to the logger, or as a Node warning. */
export class DeprecationWarnings {
  readonly #logger: ClientLogger | undefined;
  readonly #warned = new Set<string>();

  constructor(logger: ClientLogger | undefined) {
    this.#logger = logger;
  }

  /** Warns about `request`'s event, unless already warned: `notice` is the answer's `metadata.deprecation`. */
  warnOnce(request: RequestEvent, notice: unknown): void {
    const key = `${request.name}@${request.version}`;
    if (this.#warned.has(key)) return;
    this.#warned.add(key);
    const { sunset, note } = (typeof notice === 'object' && notice !== null ? notice : {}) as {
      sunset?: unknown;
      note?: unknown;
    };
    const message = `${request.name} version ${request.version} is deprecated${
      typeof sunset === 'string' ? ` (sunset ${sunset})` : ''
    }${typeof note === 'string' ? `: ${note}` : ''}`;
    if (this.#logger === undefined)
      process.emitWarning(message, { type: 'DeprecationWarning', code: 'EVENTS_DEPRECATED' });
    else this.#logger.warn({ event: request.name, version: request.version, sunset, note }, message);
  }
}
