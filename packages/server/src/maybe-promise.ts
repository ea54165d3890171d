/**
 * Whether a value is a promise (or any thenable): the processor stays synchronous from parsing to
 * the answer when the handler is, and checks with this where a step may have become asynchronous.
 */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
