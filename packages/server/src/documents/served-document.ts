import type { EventRegistry } from '../event-registry.js';
import { asyncApiDocument } from './asyncapi-document.js';
import { openApiDocument } from './openapi-document.js';

/** The documents the events route serves beside discovery: `<path>/asyncapi.json`, `<path>/openapi.json`. */
export const ServedDocument = {
  AsyncApi: 'asyncapi.json',
  OpenApi: 'openapi.json',
} as const;

/** One of {@link ServedDocument}'s values: the file name under the route. */
export type ServedDocument = (typeof ServedDocument)[keyof typeof ServedDocument];

interface CachedTexts {
  revision: number;
  texts: Map<string, string>;
}

const cache = new WeakMap<EventRegistry, CachedTexts>();

/**
 * The JSON text of a document the route serves, generated once per registry revision and route.
 * Served documents are titled `events` with the version `0.0.0`: generate them with
 * {@link asyncApiDocument} or {@link openApiDocument} to give a title, servers or published events.
 */
export function servedDocumentText(registry: EventRegistry, document: ServedDocument, path: string): string {
  let cached = cache.get(registry);
  if (cached?.revision !== registry.revision) {
    cached = { revision: registry.revision, texts: new Map() };
    cache.set(registry, cached);
  }
  const key = `${document} ${path}`;
  let text = cached.texts.get(key);
  if (text === undefined) {
    const options = { title: 'events', version: '0.0.0', path: path === '' ? '/' : path };
    text = JSON.stringify(
      document === ServedDocument.AsyncApi ? asyncApiDocument(registry, options) : openApiDocument(registry, options),
    );
    cached.texts.set(key, text);
  }
  return text;
}
