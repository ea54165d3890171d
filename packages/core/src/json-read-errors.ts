import { defineErrorFamily, errorGuard, type ErrorCodeOf } from './error-family.js';

/** The stable codes of {@link JsonReadError}. */
export const JsonReadErrorCode = {
  /** The document is nested deeper than allowed (`maxDepth`). */
  TooDeep: 'JSON_TOO_DEEP',
  /** A number a double cannot hold: reading it would change its value (to Infinity or 0). */
  NumberOutOfRange: 'JSON_NUMBER_OUT_OF_RANGE',
} as const;

/** A code of {@link JsonReadError}. */
export type JsonReadErrorCode = ErrorCodeOf<typeof JsonReadErrorCode>;

/**
 * Why `readJson` refused a text that is JSON: too deep, or a number out of range. A `RangeError`
 * (as `JSON.parse`'s own refusals of such texts are), with a stable `code`; text that is not JSON
 * at all is a `SyntaxError`, as from `JSON.parse`.
 */
export class JsonReadError extends defineErrorFamily('JsonReadError', JsonReadErrorCode, { base: RangeError }).Base {}

/** Whether `value` is a {@link JsonReadError} ({@link JsonDepthError}, {@link JsonNumberError}), across package copies. */
export const isJsonReadError = errorGuard(JsonReadError);

/** Thrown by `readJson` for a document nested deeper than allowed; code `JSON_TOO_DEEP`. */
export class JsonDepthError extends JsonReadError {
  override readonly name = 'JsonDepthError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(JsonReadErrorCode.TooDeep, message, options);
  }
}

/**
 * Thrown by `readJson` for a number that a double cannot hold: beyond ±1.8e308, or non-zero and
 * closer to zero than 5e-324. Reading it would change its value (to Infinity or 0) silently.
 * Code `JSON_NUMBER_OUT_OF_RANGE`.
 */
export class JsonNumberError extends JsonReadError {
  override readonly name = 'JsonNumberError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(JsonReadErrorCode.NumberOutOfRange, message, options);
  }
}
