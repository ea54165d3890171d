import type { FlowStorage } from './flow-storage.js';

/**
 * The flow storage of runtimes without `node:async_hooks` (browsers, plain workers): the store is
 * current during the synchronous part of `run`'s callback only. Calls made before the callback's
 * first `await` see it; after that, and in timers it started, the store is gone (the web has no
 * way to follow a context across `await` yet).
 */
export function createFlowStorage<TStore>(): FlowStorage<TStore> {
  return new SyncFlowStorage<TStore>();
}

class SyncFlowStorage<TStore> implements FlowStorage<TStore> {
  #current: TStore | undefined;

  run<TResult>(store: TStore, callback: () => TResult): TResult {
    const previous = this.#current;
    this.#current = store;
    try {
      return callback();
    } finally {
      this.#current = previous;
    }
  }

  getStore(): TStore | undefined {
    return this.#current;
  }
}
