/** An answer the deviant server writes: a response event as a plain object. */
export type Answer = Record<string, unknown> & { name: string };

const isObject = (value: unknown): boolean => typeof value === 'object' && value !== null && !Array.isArray(value);
const isText = (value: unknown): boolean => typeof value === 'string' && value !== '';

// Each field's own rule, in wire order, written out by hand rather than taken from our schemas.
const fieldRules: readonly (readonly [string, (value: unknown, strict: boolean) => boolean])[] = [
  ['name', isText],
  ['version', (value) => typeof value === 'number' && Number.isSafeInteger(value) && value >= 1],
  ['id', isText],
  ['flowId', isText],
  ['payload', (value, strict) => !strict || value !== undefined],
  ['identity', (value, strict) => (value === undefined ? !strict : isObject(value))],
  ['auth', (value, strict) => (value === undefined ? !strict : isObject(value))],
  ['metadata', (value, strict) => (value === undefined ? !strict : isObject(value))],
];

/**
 * Every field of a request that breaks its rule, in wire order; `name` alone for a value that is
 * not an object (a reader looking for `name` first finds none).
 */
export function offendingFields(value: unknown, strict: boolean): string[] {
  if (!isObject(value)) return [];
  const fields = value as Record<string, unknown>;
  return fieldRules.filter(([field, rule]) => !rule(fields[field], strict)).map(([field]) => field);
}
