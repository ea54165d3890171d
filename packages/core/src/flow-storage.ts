/**
 * Where the event context lives while a handler runs: `AsyncLocalStorage` where the runtime has
 * `node:async_hooks` (Node, Bun, Deno), a synchronous stack in browsers. The package's `imports`
 * field picks one as `#flow-storage`; both implement this shape.
 */
export interface FlowStorage<TStore> {
  /** Runs `callback` with `store` current, and restores what was current before. */
  run<TResult>(store: TStore, callback: () => TResult): TResult;
  /** What is current, or `undefined` outside any `run`. */
  getStore(): TStore | undefined;
}
