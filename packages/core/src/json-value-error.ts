import { defineErrorFamily, errorGuard, type ErrorCodeOf } from './error-family.js';

/** One step of a {@link JsonValueError.path}: a property name or an array index. */
export type JsonPathSegment = string | number;

const identifier = /^[A-Za-z_$][\w$]*$/;

/**
 * Writes a path the way it would be written in TypeScript: `payload.items[2]`,
 * `payload["odd key"]`; the empty path is `the value`.
 */
export function formatJsonPath(path: readonly JsonPathSegment[]): string {
  if (path.length === 0) return 'the value';
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (identifier.test(segment)) text += text === '' ? segment : `.${segment}`;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}

/** The stable code of {@link JsonValueError}. */
export const JsonValueErrorCode = {
  /** A value JSON cannot carry as it is (a function, a cycle, NaN, a Map…); `path` says where. */
  UnsupportedValue: 'JSON_UNSUPPORTED_VALUE',
} as const;

/** A code of {@link JsonValueError}. */
export type JsonValueErrorCode = ErrorCodeOf<typeof JsonValueErrorCode>;

/**
 * Thrown by {@link writeStrictJson} for a value JSON cannot carry as it is: a function, a symbol,
 * a circular reference, `undefined` in an array, NaN or ±Infinity, a Map or Set. `path` says where
 * it is, and the message names it (`payload.items[2] is a function`). A `TypeError`, as
 * `JSON.stringify`'s own refusals are, with the code `JSON_UNSUPPORTED_VALUE`.
 */
export class JsonValueError extends defineErrorFamily('JsonValueError', JsonValueErrorCode, { base: TypeError }).Base {
  /** Where the value is, from the root: `['payload', 'items', 2]`. */
  readonly path: readonly JsonPathSegment[];
  /** What is wrong with it, e.g. `is a function`. */
  readonly reason: string;

  constructor(path: readonly JsonPathSegment[], reason: string, options?: { cause?: unknown }) {
    super(JsonValueErrorCode.UnsupportedValue, `${formatJsonPath(path)} ${reason}, which JSON cannot carry`, options);
    this.path = path;
    this.reason = reason;
  }
}

/** Whether `value` is a {@link JsonValueError}, across package copies. */
export const isJsonValueError = errorGuard(JsonValueError);
