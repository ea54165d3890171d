import type { JsonSchema } from '@events-protocol/core';
import { DocumentIds } from './document-ids.js';
import type { ContractDocumentOptions, DocumentServer, DocumentSource } from './document-options.js';
import {
  deprecationText,
  discoveryOf,
  documentedErrors,
  documentedPublished,
  type DocumentedPublishedEvent,
} from './document-events.js';
import { envelopeSchema, errorMessageSchema, protocolErrorAnswers } from './event-envelope-schema.js';
import { webhookHeadersSchema } from './webhook-headers.js';

/** An AsyncAPI 3.0 document as plain JSON (serialise it with `JSON.stringify`). */
export type AsyncApiDocument = Record<string, unknown> & { asyncapi: AsyncApiVersion };

/** The AsyncAPI versions the document can declare: its shape is valid under both. */
export type AsyncApiVersion = '3.0.0' | '3.1.0';

/** {@link asyncApiDocument}'s options: the shared ones and the AsyncAPI version to declare. */
export interface AsyncApiDocumentOptions extends ContractDocumentOptions {
  /** `3.0.0` by default; `3.1.0` (a compatible minor) silences the parser's "not the latest" notice. */
  asyncApiVersion?: AsyncApiVersion;
}

type Ref = { $ref: string };
const ref = ($ref: string): Ref => ({ $ref });
const messageRef = (id: string): Ref => ref(`#/components/messages/${id}`);

function message(name: string, title: string, payload: JsonSchema, extra: Record<string, unknown> = {}): object {
  return { name, title, contentType: 'application/json', payload, ...extra };
}

function serversOf(servers: readonly DocumentServer[]): Record<string, object> {
  const entries = servers.map((server, index): [string, object] => {
    const url = new URL(server.url);
    const pathname = url.pathname.replace(/\/+$/, '');
    return [
      `server${index + 1}`,
      {
        host: url.host,
        protocol: url.protocol.replace(/:$/, ''),
        ...(pathname === '' ? {} : { pathname }),
        ...(server.description === undefined ? {} : { description: server.description }),
      },
    ];
  });
  return Object.fromEntries(entries);
}

function addPublished(
  published: DocumentedPublishedEvent[],
  ids: DocumentIds,
  parts: { channels: Record<string, unknown>; operations: Record<string, unknown>; messages: Record<string, unknown> },
): void {
  const channelIds = new Map<string, string>();
  for (const event of published) {
    const webhook = event.channel === 'webhook';
    let channelId = channelIds.get(event.channel);
    if (channelId === undefined) {
      channelId = ids.idFor(webhook ? 'webhooks' : `topic-${event.channel}`, 1, 'channel');
      channelIds.set(event.channel, channelId);
      parts.channels[channelId] = {
        address: webhook ? null : event.channel,
        description: webhook
          ? 'Signed Standard Webhooks deliveries, POSTed to the URL each subscription names.'
          : `The topic ${event.channel}.`,
        messages: {},
      };
    }
    // One event may go to several channels: the channel is part of its ids.
    const via = webhook ? 'webhook' : `on-${event.channel}`;
    const messageId = ids.idFor(event.name, event.version, via);
    parts.messages[messageId] = message(
      event.name,
      `${event.name} v${event.version}`,
      envelopeSchema('published', event.name, event.version, event.payload),
      {
        ...(event.description === undefined ? {} : { summary: event.description }),
        ...(webhook ? { headers: webhookHeadersSchema() } : {}),
      },
    );
    (parts.channels[channelId] as { messages: Record<string, Ref> }).messages[messageId] = messageRef(messageId);
    parts.operations[ids.idFor(event.name, event.version, `send-${via}`)] = {
      action: 'send',
      channel: ref(`#/channels/${channelId}`),
      title: `Publish ${event.name} v${event.version}`,
      ...(event.description === undefined ? {} : { summary: event.description }),
      messages: [ref(`#/channels/${channelId}/messages/${messageId}`)],
    };
  }
}

/**
 * An AsyncAPI 3.0 document of a registry (or of a discovery document fetched from a server): one
 * request/reply operation per `name@version`, whose request message is the event with its payload
 * schema and whose reply is one of the success response, each error answer (declared errors with
 * their parameters, `badRequest` and `error`) and the protocol's `eventNotFound`/`badProtocol`.
 * Deprecated versions say so in their description, a `deprecated` tag and `x-deprecation`.
 * Published events become `send` operations on their topic's channel, or on the webhooks channel
 * with the Standard Webhooks signature headers. Every id is a valid key, unique per version.
 *
 * @example
 * const document = asyncApiDocument(registry, { title: 'Catalog', version: '1.0.0' });
 * await writeFile('asyncapi.json', JSON.stringify(document, null, 2));
 * @throws {ServerError} `INVALID_OPTIONS` for a published event without a name or channel.
 */
export function asyncApiDocument(source: DocumentSource, options: AsyncApiDocumentOptions): AsyncApiDocument {
  const discovery = discoveryOf(source);
  const path = (options.path ?? '/events').replace(/\/+$/, '') || '/';
  const ids = new DocumentIds();
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const messages: Record<string, unknown> = {};
  for (const answer of protocolErrorAnswers) {
    messages[answer.name] = message(
      answer.name,
      answer.name,
      envelopeSchema('answer', answer.name, 1, answer.payload),
      {
        summary: answer.description,
      },
    );
  }
  for (const event of discovery.events) {
    const id = ids.idFor(event.name, event.version);
    const requestId = `${id}.request`;
    const responseId = `${id}.response`;
    messages[requestId] = message(
      event.name,
      `${event.name} v${event.version}`,
      envelopeSchema('request', event.name, event.version, event.payload),
    );
    messages[responseId] = message(
      `${event.name}:response`,
      `${event.name}:response`,
      envelopeSchema('answer', `${event.name}:response`, event.version, event.response),
    );
    const channelMessages: Record<string, Ref> = { request: messageRef(requestId), response: messageRef(responseId) };
    for (const error of documentedErrors(event)) {
      const errorId = `${id}.${error.errorType.replace(/[^A-Za-z0-9_-]+/g, '-')}`;
      const name = `${event.name}:${error.errorType}`;
      messages[errorId] = message(
        name,
        name,
        envelopeSchema('answer', name, event.version, errorMessageSchema(error.parameters)),
        {
          ...(error.description === undefined ? {} : { summary: error.description }),
          // Tells a reader (`events diff`) the contract's declared errors from the general ones.
          ...(error.declared ? { 'x-declared-error': true } : {}),
        },
      );
      channelMessages[error.errorType] = messageRef(errorId);
    }
    for (const answer of protocolErrorAnswers) channelMessages[answer.name] = messageRef(answer.name);
    channels[id] = { address: path, title: `${event.name} v${event.version}`, messages: channelMessages };
    const channel = ref(`#/channels/${id}`);
    const description = [event.description, event.deprecated && deprecationText(event.deprecated)]
      .filter(Boolean)
      .join(' ');
    operations[id] = {
      action: 'receive',
      channel,
      title: `${event.name} v${event.version}`,
      ...(description === '' ? {} : { summary: description }),
      ...(event.deprecated === undefined ? {} : { tags: [{ name: 'deprecated' }], 'x-deprecation': event.deprecated }),
      bindings: { http: { method: 'POST' } },
      messages: [ref(`#/channels/${id}/messages/request`)],
      reply: {
        channel,
        messages: Object.keys(channelMessages)
          .filter((key) => key !== 'request')
          .map((key) => ref(`#/channels/${id}/messages/${key}`)),
      },
    };
  }
  addPublished(documentedPublished(options.published), ids, { channels, operations, messages });
  return {
    asyncapi: options.asyncApiVersion ?? '3.0.0',
    info: {
      title: options.title,
      version: options.version,
      ...(options.description === undefined ? {} : { description: options.description }),
    },
    ...(options.servers === undefined || options.servers.length === 0 ? {} : { servers: serversOf(options.servers) }),
    defaultContentType: 'application/json',
    channels,
    operations,
    components: { messages },
  };
}
