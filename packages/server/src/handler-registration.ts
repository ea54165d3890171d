import type { ContractErrorSchemas, ContractSchema, EventDeprecation } from '@events-protocol/core';
import type { EventHandlerFunction } from './event-handler.js';

/** A registered handler as the processor runs it: everything resolved at registration. */
export interface HandlerRegistration {
  readonly name: string;
  readonly version: number;
  /** The payload's schema: zod or any Standard Schema v1 validator. */
  readonly payload: ContractSchema | undefined;
  /** The success response's schema: zod or any Standard Schema v1 validator. */
  readonly response: ContractSchema | undefined;
  readonly timeoutMs: number | undefined;
  readonly description: string | undefined;
  /** Set for deprecated versions: answers carry `metadata.deprecation`, discovery shows it. */
  readonly deprecated: EventDeprecation | undefined;
  /** The contract's typed errors (error type → parameters schema); `{}` when none are declared. */
  readonly errors: ContractErrorSchemas;
  readonly handle: EventHandlerFunction;
}

/** What a registration is made of; all but the name and the function are optional. */
interface HandlerRegistrationFields {
  name: string;
  /** 1 by default. */
  version?: number | undefined;
  payload?: ContractSchema | undefined;
  response?: ContractSchema | undefined;
  timeoutMs?: number | undefined;
  description?: string | undefined;
  deprecated?: EventDeprecation | undefined;
  errors?: ContractErrorSchemas | undefined;
  handle: EventHandlerFunction;
}

/** Where registrations are found by name and version (an `EventRegistry`). */
export interface HandlerLookup {
  find(name: string, version: number): HandlerRegistration | undefined;
}

/** The one way a registration is built: every field present, the version 1 by default. */
export function handlerRegistration(fields: HandlerRegistrationFields): HandlerRegistration {
  return {
    name: fields.name,
    version: fields.version ?? 1,
    payload: fields.payload,
    response: fields.response,
    timeoutMs: fields.timeoutMs,
    description: fields.description,
    deprecated: fields.deprecated,
    errors: fields.errors ?? {},
    handle: fields.handle,
  };
}
