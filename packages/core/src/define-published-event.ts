import type { z } from 'zod';
import type { EventDeprecation } from './define-event.js';
import {
  withPublishedEventDefaults,
  type PublishedEventFields,
  type TypedPublishedEvent,
} from './published-event-fields.js';
import { PublishedEventError } from './published-event-error.js';

/**
 * A published event's payload schema as its types see it: only what `z.input` and `z.output`
 * read, so the type checker never compares it with the whole of `z.ZodType`. It is a zod schema
 * at run time (`definePublishedEvent` checks).
 */
export interface PublishedPayloadSchema<TOutput = unknown, TInput = unknown> {
  readonly _zod: { readonly output: TOutput; readonly input: TInput };
}

/** One problem of a payload that does not match its contract: where (a path into the payload) and what. */
export interface EventPayloadIssue {
  readonly path: readonly (string | number)[];
  readonly message: string;
  /** zod's issue code (`invalid_type`, `too_small`…). */
  readonly code: string;
}

/** What {@link PublishedEventContract.check} found: the parsed payload, or why it does not match. */
export type EventPayloadCheck<TPayload> =
  | { readonly valid: true; readonly payload: TPayload }
  | { readonly valid: false; readonly issues: readonly EventPayloadIssue[] };

/**
 * The contract of an event an application publishes (to webhooks, streams, topics): its name,
 * version and payload schema. Publishers validate payloads with it before anything is stored;
 * receivers parse deliveries with it.
 */
export interface PublishedEventContract<
  TName extends string = string,
  TPayloadSchema extends PublishedPayloadSchema = PublishedPayloadSchema,
> {
  readonly kind: 'published-event';
  readonly name: TName;
  readonly version: number;
  readonly payload: TPayloadSchema;
  readonly description: string | undefined;
  readonly deprecated: EventDeprecation | undefined;
  /** Parses a payload with the contract's schema; never throws. */
  check(payload: unknown): EventPayloadCheck<z.output<TPayloadSchema>>;
  /**
   * Makes the event to publish, its payload parsed by the schema (inside a server handler it
   * carries the handled event's `flowId`).
   *
   * @throws {PublishedEventError} `INVALID_EVENT`, with `issues`, when the payload does not match.
   */
  create(
    payload: z.input<TPayloadSchema>,
    fields?: PublishedEventFields,
  ): TypedPublishedEvent<TName, z.output<TPayloadSchema>>;
}

/** What a publisher of the contract gives as payload (the schema's input). */
export type PublishedPayloadInput<TContract extends PublishedEventContract> = z.input<TContract['payload']>;
/** What a receiver of the contract reads as payload (the schema's output). */
export type PublishedPayload<TContract extends PublishedEventContract> = z.output<TContract['payload']>;
/** The event a contract makes and a receiver reads. */
export type PublishedEventOf<TContract extends PublishedEventContract> = TypedPublishedEvent<
  TContract['name'],
  PublishedPayload<TContract>
>;

/** The property (a non-enumerable registered symbol) by which an event names the contract that made it. */
const contractOfEvent: unique symbol = Symbol.for('@events-protocol/published-event-contract');

/** The contract that made an event with `create`, if any: publishers check its payload again before storing it. */
export function publishedEventContractOf(event: object): PublishedEventContract | undefined {
  const contract = (event as { [contractOfEvent]?: unknown })[contractOfEvent];
  return isPublishedEventContract(contract) ? contract : undefined;
}

/** Whether a value is a contract made by {@link definePublishedEvent} (by any copy of this package). */
export function isPublishedEventContract(value: unknown): value is PublishedEventContract {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { kind?: unknown }).kind === 'published-event' &&
    typeof (value as { check?: unknown }).check === 'function'
  );
}

/** Says in one line what is wrong with a payload, for error messages. */
export function describePayloadIssues(issues: readonly EventPayloadIssue[]): string {
  return issues
    .map((issue) => `${issue.path.length === 0 ? '(payload)' : issue.path.join('.')}: ${issue.message}`)
    .join('; ');
}

function isZodSchema(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    '_zod' in value &&
    typeof (value as { safeParse?: unknown }).safeParse === 'function'
  );
}

/**
 * Defines the contract of a published event. Define it once in a module publisher and receiver
 * both import: `contract.create(payload)` makes a typed, validated event for any sink, the
 * publishers' typed variants validate before storing, and `receiveWebhook` parses deliveries
 * into it.
 *
 * @example
 * export const orderPlaced = definePublishedEvent({
 *   name: 'order:placed',
 *   payload: z.object({ orderId: z.string(), total: z.number() }),
 * });
 * await sink.publish(orderPlaced.create({ orderId: '42', total: 9.5 }));
 * @throws {TypeError} when the name is empty, the version is not an integer ≥ 1, the sunset is
 * not a date or the payload is not a zod schema.
 */
export function definePublishedEvent<
  const TName extends string,
  TPayloadSchema extends PublishedPayloadSchema,
>(definition: {
  name: TName;
  version?: number;
  payload: TPayloadSchema;
  description?: string;
  deprecated?: EventDeprecation;
}): PublishedEventContract<TName, TPayloadSchema> {
  const { name } = definition;
  const version = definition.version ?? 1;
  if (typeof name !== 'string' || name.length === 0) {
    throw new TypeError('definePublishedEvent: the event name must not be empty');
  }
  if (!Number.isInteger(version) || version < 1) {
    throw new TypeError(`definePublishedEvent: version of '${name}' must be an integer >= 1, got ${String(version)}`);
  }
  const sunset = definition.deprecated?.sunset;
  if (sunset !== undefined && Number.isNaN(Date.parse(sunset))) {
    throw new TypeError(`definePublishedEvent: the sunset of '${name}' must be an ISO 8601 date, got '${sunset}'`);
  }
  if (!isZodSchema(definition.payload)) {
    throw new TypeError(`definePublishedEvent: the payload of '${name}' must be a zod schema`);
  }
  const schema = definition.payload as unknown as z.ZodType;
  type Payload = z.output<TPayloadSchema>;
  const contract: PublishedEventContract<TName, TPayloadSchema> = Object.freeze({
    kind: 'published-event' as const,
    name,
    version,
    payload: definition.payload,
    description: definition.description,
    deprecated: definition.deprecated === undefined ? undefined : Object.freeze({ ...definition.deprecated }),
    check(payload: unknown): EventPayloadCheck<Payload> {
      const parsed = schema.safeParse(payload);
      if (parsed.success) return { valid: true, payload: parsed.data as Payload };
      const issues = parsed.error.issues.map((issue): EventPayloadIssue => ({
        path: issue.path.map((key) => (typeof key === 'number' ? key : String(key))),
        message: issue.message,
        code: issue.code,
      }));
      return { valid: false, issues };
    },
    create(payload: z.input<TPayloadSchema>, fields: PublishedEventFields = {}): TypedPublishedEvent<TName, Payload> {
      const checked = contract.check(payload);
      if (!checked.valid) {
        throw new PublishedEventError(
          `the payload of '${name}' version ${version} does not match its contract: ${describePayloadIssues(checked.issues)}`,
          { issues: checked.issues },
        );
      }
      const event = withPublishedEventDefaults(name, version, checked.payload, fields);
      Object.defineProperty(event, contractOfEvent, { value: contract, enumerable: false });
      return event;
    },
  });
  return contract;
}
