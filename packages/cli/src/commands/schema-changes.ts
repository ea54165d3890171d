/**
 * A deliberately small comparison of two JSON Schemas (as zod and our discovery write them), for
 * `events diff`. What it can tell apart:
 *
 * - types (`type`, with `integer` inside `number`), `const` and `enum` values;
 * - object properties: added, removed, newly required or no longer required, and whether the
 *   object is closed (`additionalProperties: false`);
 * - array `items`, and the bounds `minimum`/`maximum`/`minLength`/`maxLength`/`minItems`/`maxItems`;
 * - nested schemas under `properties` and `items`, recursively.
 *
 * Anything else that differs (`anyOf`/`oneOf`/`allOf`, `pattern`, `format`, `$ref`, …) is reported
 * as "changed, review": it may or may not break callers, and the tool does not guess.
 */

/** How much a change matters to existing callers. */
export type ChangeSeverity = 'breaking' | 'review' | 'compatible';

/** One difference between two documents. */
export interface ContractChange {
  severity: ChangeSeverity;
  /** The event and version, e.g. `user:get@2`. */
  event: string;
  /** Where in the event: `payload.email`, `response.roles[]`, `errors.notFound`. */
  at: string;
  message: string;
}

/**
 * Which way data flows: `input` schemas are what callers send (a change breaks when it accepts
 * less), `output` schemas are what callers read (a change breaks when it gives less or other).
 */
export type SchemaDirection = 'input' | 'output';

type Schema = Record<string, unknown>;

const asSchema = (value: unknown): Schema =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Schema) : {};

function typesOf(schema: Schema): Set<string> | undefined {
  const type = schema['type'];
  if (typeof type === 'string') return new Set([type]);
  if (Array.isArray(type)) return new Set(type.filter((entry): entry is string => typeof entry === 'string'));
  return undefined;
}

function covers(types: Set<string> | undefined, type: string): boolean {
  return types === undefined || types.has(type) || (type === 'integer' && types.has('number'));
}

function valuesOf(schema: Schema): unknown[] | undefined {
  if ('const' in schema) return [schema['const']];
  return Array.isArray(schema['enum']) ? schema['enum'] : undefined;
}

const json = (value: unknown): string => JSON.stringify(value);
const known = new Set(['type', 'const', 'enum', 'properties', 'required', 'additionalProperties', 'items']);
const lowerBounds = ['minimum', 'exclusiveMinimum', 'minLength', 'minItems', 'minProperties'];
const upperBounds = ['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems', 'maxProperties'];
const ignored = new Set(['description', 'title', 'examples', 'default', '$schema', 'deprecated']);

/** Reports one change at a path. */
type AddChange = (severity: ChangeSeverity, where: string, message: string) => void;

/** Compares one aspect of two schemas at the path `at`, reporting each change through `add`. */
type SchemaComparer = (before: Schema, after: Schema, direction: SchemaDirection, at: string, add: AddChange) => void;

/** The changes from `before` to `after`, in the given direction, under the path `at`. */
export function schemaChanges(
  before: unknown,
  after: unknown,
  direction: SchemaDirection,
  at: string,
): Omit<ContractChange, 'event'>[] {
  const changes: Omit<ContractChange, 'event'>[] = [];
  const add: AddChange = (severity, where, message) => {
    changes.push({ severity, at: where, message });
  };
  compare(asSchema(before), asSchema(after), direction, at, add);
  return changes;
}

const compare: SchemaComparer = (before, after, direction, at, add) => {
  // The side that must keep accepting what the other produces: for inputs the new schema must
  // accept all the old one did; for outputs the old reader must accept all the new one gives.
  const [wider, narrower] = direction === 'input' ? [after, before] : [before, after];
  const wideTypes = typesOf(wider);
  const narrowTypes = typesOf(narrower);
  if (json([...(wideTypes ?? [])].sort()) !== json([...(narrowTypes ?? [])].sort())) {
    const lost = narrowTypes === undefined ? ['any'] : [...narrowTypes].filter((type) => !covers(wideTypes, type));
    const message = `type ${json(typesOf(before) ?? 'any')} became ${json(typesOf(after) ?? 'any')}`;
    add(lost.length > 0 ? 'breaking' : 'compatible', at, message);
  }
  const wideValues = valuesOf(wider);
  const narrowValues = valuesOf(narrower);
  if (json(valuesOf(before)) !== json(valuesOf(after))) {
    const lost =
      wideValues === undefined
        ? []
        : (narrowValues ?? [undefined]).filter((value) => !wideValues.some((kept) => json(kept) === json(value)));
    const message = `values ${json(valuesOf(before) ?? 'any')} became ${json(valuesOf(after) ?? 'any')}`;
    add(lost.length > 0 ? 'breaking' : 'compatible', at, message);
  }
  compareBounds(before, after, direction, at, add);
  compareProperties(before, after, direction, at, add);
  if ('items' in before || 'items' in after)
    compare(asSchema(before['items']), asSchema(after['items']), direction, `${at}[]`, add);
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (known.has(key) || ignored.has(key) || lowerBounds.includes(key) || upperBounds.includes(key)) continue;
    if (json(before[key]) !== json(after[key])) add('review', at, `${key} changed, review`);
  }
};

const compareBounds: SchemaComparer = (before, after, direction, at, add) => {
  for (const key of [...lowerBounds, ...upperBounds]) {
    const old = before[key];
    const next = after[key];
    if (json(old) === json(next)) continue;
    const lower = lowerBounds.includes(key);
    // Tighter: a lower bound appears or rises, an upper bound appears or falls.
    const tighter = typeof next === 'number' && (typeof old !== 'number' || (lower ? next > old : next < old));
    const breaking = direction === 'input' ? tighter : !tighter;
    add(breaking ? 'breaking' : 'compatible', at, `${key} ${json(old ?? 'none')} became ${json(next ?? 'none')}`);
  }
};

function requiredOf(schema: Schema): Set<string> {
  const required = schema['required'];
  return new Set(Array.isArray(required) ? required.filter((key): key is string => typeof key === 'string') : []);
}

const compareProperties: SchemaComparer = (before, after, direction, at, add) => {
  const oldProperties = asSchema(before['properties']);
  const newProperties = asSchema(after['properties']);
  const oldRequired = requiredOf(before);
  const newRequired = requiredOf(after);
  const closed = after['additionalProperties'] === false;
  for (const key of new Set([...Object.keys(oldProperties), ...Object.keys(newProperties)])) {
    const where = `${at}.${key}`;
    const had = key in oldProperties;
    const has = key in newProperties;
    if (had && !has) {
      if (direction === 'output') add('breaking', where, 'removed: callers reading it get nothing');
      else if (closed) add('breaking', where, 'removed from a closed object: callers sending it are refused');
      else add('compatible', where, 'removed (the object is open: callers may still send it)');
      continue;
    }
    if (!had && has) {
      if (direction === 'input' && newRequired.has(key))
        add('breaking', where, 'added as required: callers do not send it');
      else add('compatible', where, `added${newRequired.has(key) ? '' : ' as optional'}`);
      continue;
    }
    if (!oldRequired.has(key) && newRequired.has(key) && direction === 'input')
      add('breaking', where, 'now required: callers may leave it out');
    if (oldRequired.has(key) && !newRequired.has(key) && direction === 'output')
      add('breaking', where, 'no longer always present: callers may rely on it');
    compare(asSchema(oldProperties[key]), asSchema(newProperties[key]), direction, where, add);
  }
  if (
    direction === 'input' &&
    before['additionalProperties'] !== false &&
    closed &&
    Object.keys(oldProperties).length > 0
  )
    add('breaking', at, 'now refuses properties it does not list');
};
