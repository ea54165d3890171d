import { AsyncLocalStorage } from 'node:async_hooks';
import type { FlowStorage } from './flow-storage.js';

/**
 * The flow storage of runtimes with `node:async_hooks` (Node, Bun, Deno): an `AsyncLocalStorage`,
 * so the context follows every `await`, timer and callback started inside `run`.
 */
export function createFlowStorage<TStore>(): FlowStorage<TStore> {
  return new AsyncLocalStorage<TStore>();
}
