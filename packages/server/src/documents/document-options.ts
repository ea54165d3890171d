import type { JsonSchema } from '@events-protocol/core';
import type { DiscoveryDocument } from '../discovery.js';
import type { EventRegistry } from '../event-registry.js';

/**
 * An event the service publishes to others (a topic, a stream or a webhook) rather than answers:
 * it appears in AsyncAPI as a `send` operation on its channel and, for webhooks, in OpenAPI's
 * `webhooks` section.
 */
export interface PublishedEventDocument {
  /** The event's name, e.g. `order:placed`. */
  name: string;
  /** The event's version; 1 by default. */
  version?: number;
  /** The payload's schema: a zod schema (converted as its output) or a JSON Schema object. */
  payload: JsonSchema | { readonly _zod: unknown };
  /** Where it goes: a topic or stream name, or `'webhook'` for Standard Webhooks deliveries. */
  channel: string;
  /** A sentence for readers. */
  description?: string;
}

/** Where a document says the service runs. */
export interface DocumentServer {
  /** The base URL, e.g. `https://catalog.example.com`; the events route is appended to it. */
  url: string;
  /** A sentence for readers. */
  description?: string;
}

/** What both generated documents ({@link asyncApiDocument}, {@link openApiDocument}) take. */
export interface ContractDocumentOptions {
  /** The document's title, e.g. the service's name. */
  title: string;
  /** The version of the document (of the service's API), e.g. `1.4.0`. */
  version: string;
  /** A paragraph for readers. */
  description?: string;
  /** The route events are posted to; `/events` by default. */
  path?: string;
  /** Where the service runs; none by default. */
  servers?: readonly DocumentServer[];
  /** The events the service publishes; none by default. */
  published?: readonly PublishedEventDocument[];
}

/** What a document is generated from: a registry, or a discovery document (fetched from a server). */
export type DocumentSource = EventRegistry | DiscoveryDocument;
