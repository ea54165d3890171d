/** Thrown by `readJson` for a document nested deeper than allowed. */
export class JsonDepthError extends RangeError {
  override readonly name = 'JsonDepthError';
}

/**
 * Thrown by `readJson` for a number that a double cannot hold: beyond ±1.8e308, or non-zero and
 * closer to zero than 5e-324. Reading it would change its value (to Infinity or 0) silently.
 */
export class JsonNumberError extends RangeError {
  override readonly name = 'JsonNumberError';
}
