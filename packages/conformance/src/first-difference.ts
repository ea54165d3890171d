import { isDeepStrictEqual } from 'node:util';

/** Where two JSON values first differ: a path such as `payload.list[2]`, and both values there. */
export interface Difference {
  readonly path: string;
  /** `undefined` when the path is missing from the answer. */
  readonly actual: unknown;
  /** `undefined` when the path was not sent. */
  readonly expected: unknown;
}

/**
 * The first place `actual` differs from `expected` (`bigint` and `number` never equal), or
 * `undefined` when they are deeply equal. Tells a reader which digit or key went wrong.
 */
export function firstDifference(actual: unknown, expected: unknown, path: string): Difference | undefined {
  if (isDeepStrictEqual(actual, expected)) return undefined;
  if (Array.isArray(actual) && Array.isArray(expected)) {
    const length = Math.max(actual.length, expected.length);
    for (let index = 0; index < length; index++) {
      const difference = firstDifference(actual[index], expected[index], `${path}[${index}]`);
      if (difference !== undefined) return difference;
    }
  }
  if (isRecord(actual) && isRecord(expected)) {
    for (const key of new Set([...Object.keys(expected), ...Object.keys(actual)])) {
      const difference = firstDifference(actual[key], expected[key], `${path}.${key}`);
      if (difference !== undefined) return difference;
    }
  }
  return { path, actual, expected };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
