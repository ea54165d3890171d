import {
  errorJsonSchemas,
  schemaJsonSchema,
  type ContractSchema,
  type ErrorJsonSchema,
  type EventDeprecation,
  type JsonSchema,
} from '@events-protocol/core';
import type { EventRegistry } from './event-registry.js';

/** One registered event as discovery lists it. */
export interface EventDescription {
  name: string;
  version: number;
  description?: string;
  /** Present when this version is deprecated: its sunset and a note for callers. */
  deprecated?: EventDeprecation;
  /** JSON Schema of the payload callers send; `{}` when the handler takes any payload. */
  payload: JsonSchema;
  /** JSON Schema of the success response payload; `{}` when not declared. */
  response: JsonSchema;
  /**
   * The typed errors its contract declares: error type → the JSON Schema of that error's
   * `parameters` (the payload is `{ code, parameters }`); `{}` when none are declared.
   */
  errors: Readonly<Record<string, ErrorJsonSchema>>;
}

/** What the discovery route answers: every registered event with its schemas. */
export interface DiscoveryDocument {
  protocol: 'events';
  events: EventDescription[];
}

const cache = new WeakMap<EventRegistry, { revision: number; document: DiscoveryDocument }>();

function jsonSchemaOf(schema: ContractSchema | undefined, io: 'input' | 'output'): JsonSchema {
  return schema === undefined ? {} : schemaJsonSchema(schema, io);
}

/**
 * Lists the registry's events with the JSON Schemas of their payloads, responses and declared
 * errors' parameters. Computed once per registry revision, so serving it repeatedly costs nothing.
 */
export function describeEvents(registry: EventRegistry): DiscoveryDocument {
  const cached = cache.get(registry);
  if (cached?.revision === registry.revision) return cached.document;
  const events = registry.list().map((registration) => ({
    name: registration.name,
    version: registration.version,
    ...(registration.description === undefined ? {} : { description: registration.description }),
    ...(registration.deprecated === undefined ? {} : { deprecated: { ...registration.deprecated } }),
    payload: jsonSchemaOf(registration.payload, 'input'),
    response: jsonSchemaOf(registration.response, 'output'),
    errors: errorJsonSchemas(registration.errors),
  }));
  const document: DiscoveryDocument = { protocol: 'events', events };
  cache.set(registry, { revision: registry.revision, document });
  return document;
}
