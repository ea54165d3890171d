import type { EventDeprecation, JsonSchema } from '@events-protocol/core';
import { z } from 'zod';
import { describeEvents, type DiscoveryDocument, type EventDescription } from '../discovery.js';
import { ServerError, ServerErrorCode } from '../server-error.js';
import type { DocumentSource, PublishedEventDocument } from './document-options.js';
import { generalErrorAnswers } from './event-envelope-schema.js';

/** One error answer of an event as the documents list it. */
export interface DocumentedError {
  /** The error type, the suffix of the answer's name (`notFound` in `user:get:notFound`). */
  errorType: string;
  /** The JSON Schema of its `parameters`. */
  parameters: JsonSchema;
  /** Whether the contract declares it (otherwise it is one every handler may answer). */
  declared: boolean;
  description?: string;
}

/** A published event with its payload as JSON Schema. */
export interface DocumentedPublishedEvent {
  name: string;
  version: number;
  payload: JsonSchema;
  channel: string;
  description?: string;
}

/** The discovery document of a source: a registry is described, a document is taken as it is. */
export function discoveryOf(source: DocumentSource): DiscoveryDocument {
  return 'protocol' in source ? source : describeEvents(source);
}

/** An event's error answers: those its contract declares, then the general ones it does not. */
export function documentedErrors(event: EventDescription): DocumentedError[] {
  const declared = Object.entries(event.errors).map(([errorType, schema]) => ({
    errorType,
    parameters: schema.parameters,
    declared: true,
  }));
  const general = generalErrorAnswers
    .filter(({ errorType }) => !(errorType in event.errors))
    .map(({ errorType, description }) => ({ errorType, parameters: { type: 'object' }, declared: false, description }));
  return [...declared, ...general];
}

/** A sentence on a deprecation, for descriptions: `Deprecated (sunset 2027-06-30): use version 2.` */
export function deprecationText(deprecated: EventDeprecation): string {
  const sunset = deprecated.sunset === undefined ? '' : ` (sunset ${deprecated.sunset})`;
  return `Deprecated${sunset}${deprecated.note === undefined ? '.' : `: ${deprecated.note}.`}`;
}

function isZodLike(value: unknown): value is z.ZodType {
  return typeof value === 'object' && value !== null && '_zod' in value;
}

/**
 * The published events with JSON Schema payloads and versions filled in.
 *
 * @throws {ServerError} `INVALID_OPTIONS` for a nameless event, a bad version or an empty channel.
 */
export function documentedPublished(published: readonly PublishedEventDocument[] = []): DocumentedPublishedEvent[] {
  return published.map((event) => {
    const version = event.version ?? 1;
    if (typeof event.name !== 'string' || event.name === '' || !Number.isInteger(version) || version < 1)
      throw new ServerError(
        ServerErrorCode.InvalidOptions,
        `a published event needs a name and a version ≥ 1 (got ${JSON.stringify(event.name)} v${String(version)})`,
      );
    if (typeof event.channel !== 'string' || event.channel === '')
      throw new ServerError(ServerErrorCode.InvalidOptions, `published event ${event.name} needs a channel`);
    const payload = isZodLike(event.payload)
      ? z.toJSONSchema(event.payload, { io: 'output', unrepresentable: 'any' })
      : (event.payload as JsonSchema);
    return {
      name: event.name,
      version,
      payload,
      channel: event.channel,
      ...(event.description === undefined ? {} : { description: event.description }),
    };
  });
}
