import { JsonValueError, type JsonPathSegment } from './json-value-error.js';

// One walk over a value before it is written, for what JSON.stringify would drop or change
// silently. It builds no text (the native writer does that, faster than any walk in JavaScript),
// and builds no path unless it fails: each level adds its step to the failure as it unwinds.

/** A failure on its way up, collecting its path in reverse. */
class Refusal extends Error {
  readonly reversedPath: JsonPathSegment[] = [];
  readonly reason: string;

  constructor(reason: string) {
    super(reason);
    this.reason = reason;
  }
}

interface WalkState {
  bigint: boolean;
  readonly ancestors: object[];
}

/**
 * Checks that `value` has an exact JSON form, calling `toJSON` as `JSON.stringify` does.
 * Resolves to whether it holds a bigint (which `writeJson` writes with all its digits).
 *
 * @throws {JsonValueError} naming the path of the first value JSON cannot carry.
 */
export function checkJsonValue(value: unknown): boolean {
  const state: WalkState = { bigint: false, ancestors: [] };
  try {
    walk(value, '', 'root', state);
  } catch (error) {
    if (error instanceof Refusal) throw new JsonValueError(error.reversedPath.reverse(), error.reason);
    if (error instanceof RangeError && /call stack/i.test(error.message)) {
      throw new JsonValueError([], 'is nested too deep', { cause: error });
    }
    throw error;
  }
  return state.bigint;
}

type Holder = 'root' | 'array' | 'object';

function walk(raw: unknown, key: string, holder: Holder, state: WalkState): void {
  let value = raw;
  if ((typeof value === 'object' && value !== null) || typeof value === 'bigint') {
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') value = toJSON.call(value, key) as unknown;
  }
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new Refusal(`is ${String(value)}`);
      return;
    case 'bigint':
      state.bigint = true;
      return;
    case 'undefined':
      // An undefined property is left out, as optional fields are; elsewhere it would become null.
      if (holder !== 'object') throw new Refusal('is undefined');
      return;
    case 'function':
      throw new Refusal('is a function');
    case 'symbol':
      throw new Refusal('is a symbol');
    case 'object':
      if (value !== null) walkObject(value, state);
  }
}

function walkObject(value: object, state: WalkState): void {
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== Array.prototype && prototype !== null) {
    if (checkExotic(value)) return;
  }
  if (state.ancestors.includes(value)) throw new Refusal('is a circular reference');
  state.ancestors.push(value);
  if (Array.isArray(value)) {
    const list = value as unknown[];
    for (let index = 0; index < list.length; index++) {
      try {
        walk(list[index], String(index), 'array', state);
      } catch (error) {
        if (error instanceof Refusal) error.reversedPath.push(index);
        throw error;
      }
    }
  } else {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      try {
        walk(record[key], key, 'object', state);
      } catch (error) {
        if (error instanceof Refusal) error.reversedPath.push(key);
        throw error;
      }
    }
  }
  state.ancestors.pop();
}

/** Objects JSON writes in a way of their own; `true` when fully checked here. */
function checkExotic(value: object): boolean {
  if (value instanceof Map) throw new Refusal('is a Map');
  if (value instanceof Set) throw new Refusal('is a Set');
  if (value instanceof WeakMap || value instanceof WeakSet) throw new Refusal(`is a ${value.constructor.name}`);
  if (value instanceof Number) {
    if (!Number.isFinite(value.valueOf())) throw new Refusal(`is ${String(value.valueOf())}`);
    return true;
  }
  if (value instanceof BigInt) throw new Refusal('is a boxed BigInt');
  return value instanceof String || value instanceof Boolean;
}
