import type { JsonSchema } from '@events-protocol/core';
import { DocumentIds } from './document-ids.js';
import type { ContractDocumentOptions, DocumentSource } from './document-options.js';
import { deprecationText, discoveryOf, documentedErrors, documentedPublished } from './document-events.js';
import { envelopeSchema, errorMessageSchema, protocolErrorAnswers } from './event-envelope-schema.js';
import { webhookSignatureHeaders } from './webhook-headers.js';

/** An OpenAPI 3.1 document as plain JSON (serialise it with `JSON.stringify`). */
export type OpenApiDocument = Record<string, unknown> & { openapi: '3.1.0' };

const schemaRef = (id: string): { $ref: string } => ({ $ref: `#/components/schemas/${id}` });

function jsonBody(description: string, schema: JsonSchema): object {
  return { description, content: { 'application/json': { schema } } };
}

/**
 * An OpenAPI 3.1 document of a registry (or of a discovery document fetched from a server):
 * `POST <path>` takes a `oneOf` over every request event, each fixing its `name` and `version`
 * (so the pair discriminates; OpenAPI's `discriminator` is added when every name has a single
 * version), and answers 200 with a `oneOf` over every response event, error answers included.
 * Each request schema carries its event's description and, when deprecated, `deprecated: true`
 * and the sunset. Published webhooks appear under `webhooks`, with the Standard Webhooks
 * signature headers as required parameters.
 *
 * @example
 * const document = openApiDocument(registry, { title: 'Catalog', version: '1.0.0' });
 * @throws {ServerError} `INVALID_OPTIONS` for a published event without a name or channel.
 */
export function openApiDocument(source: DocumentSource, options: ContractDocumentOptions): OpenApiDocument {
  const discovery = discoveryOf(source);
  const path = (options.path ?? '/events').replace(/\/+$/, '') || '/';
  const ids = new DocumentIds();
  const schemas: Record<string, JsonSchema> = {};
  const requests: string[] = [];
  const answers: string[] = [];
  for (const answer of protocolErrorAnswers) {
    schemas[answer.name] = {
      ...envelopeSchema('answer', answer.name, 1, answer.payload),
      description: answer.description,
    };
    answers.push(answer.name);
  }
  for (const event of discovery.events) {
    const id = ids.idFor(event.name, event.version);
    const description = [event.description, event.deprecated && deprecationText(event.deprecated)]
      .filter(Boolean)
      .join(' ');
    schemas[`${id}.request`] = {
      ...envelopeSchema('request', event.name, event.version, event.payload),
      title: `${event.name} v${event.version}`,
      ...(description === '' ? {} : { description }),
      ...(event.deprecated === undefined ? {} : { deprecated: true, 'x-deprecation': event.deprecated }),
    };
    requests.push(`${id}.request`);
    schemas[`${id}.response`] = envelopeSchema('answer', `${event.name}:response`, event.version, event.response);
    answers.push(`${id}.response`);
    for (const error of documentedErrors(event)) {
      const errorId = `${id}.${error.errorType.replace(/[^A-Za-z0-9_-]+/g, '-')}`;
      const name = `${event.name}:${error.errorType}`;
      schemas[errorId] = envelopeSchema('answer', name, event.version, errorMessageSchema(error.parameters));
      answers.push(errorId);
    }
  }
  const names = discovery.events.map((event) => event.name);
  const discriminator =
    new Set(names).size === names.length && names.length > 0
      ? {
          discriminator: {
            propertyName: 'name',
            mapping: Object.fromEntries(
              discovery.events.map((event) => [
                event.name,
                `#/components/schemas/${ids.idFor(event.name, event.version)}.request`,
              ]),
            ),
          },
        }
      : {};
  const webhooks: Record<string, object> = {};
  for (const event of documentedPublished(options.published).filter(({ channel }) => channel === 'webhook')) {
    const id = ids.idFor(event.name, event.version, 'webhook');
    schemas[id] = envelopeSchema('published', event.name, event.version, event.payload);
    webhooks[`${event.name} v${event.version}`] = {
      post: {
        operationId: id,
        summary: event.description ?? `${event.name} v${event.version}, delivered as a signed webhook`,
        parameters: webhookSignatureHeaders.map(({ name, description }) => ({
          name,
          in: 'header',
          required: true,
          description,
          schema: { type: 'string' },
        })),
        requestBody: { required: true, content: { 'application/json': { schema: schemaRef(id) } } },
        responses: {
          '2XX': { description: 'Delivered; any other status is retried on the subscription’s schedule.' },
        },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: options.title,
      version: options.version,
      ...(options.description === undefined ? {} : { description: options.description }),
    },
    ...(options.servers === undefined || options.servers.length === 0
      ? {}
      : {
          servers: options.servers.map((server) => ({
            url: server.url,
            ...(server.description === undefined ? {} : { description: server.description }),
          })),
        }),
    paths: {
      [path]: {
        post: {
          operationId: 'sendEvent',
          summary: 'Send a request event; the answer is a response event named after the outcome.',
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { oneOf: requests.map(schemaRef), ...discriminator } } },
          },
          responses: {
            '200': jsonBody('The response event: `<name>:response` on success, `<name>:<errorType>` on failure.', {
              oneOf: answers.map(schemaRef),
            }),
          },
        },
      },
    },
    ...(Object.keys(webhooks).length === 0 ? {} : { webhooks }),
    components: { schemas },
  };
}
