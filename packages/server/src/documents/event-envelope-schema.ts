import type { JsonSchema } from '@events-protocol/core';

/** What a JSON Schema of a payload becomes inside a document: its `$schema` dialect line dropped. */
export function embeddedSchema(schema: JsonSchema): JsonSchema {
  if (!('$schema' in schema)) return schema;
  const { $schema: _dialect, ...rest } = schema;
  return rest;
}

const objectSchema: JsonSchema = { type: 'object' };
const stringSchema: JsonSchema = { type: 'string' };

/** The kinds of envelope a document describes, which decide the fields it requires. */
export type EnvelopeKind = 'request' | 'answer' | 'published';

/**
 * The JSON Schema of a whole event on the wire (the protocol's eight fields) whose `name` and
 * `version` are fixed and whose `payload` follows `payload`. A request requires what our server
 * requires (`name`, `version`, `id`, `flowId`); an answer has all eight; a published event never
 * carries `auth`.
 */
export function envelopeSchema(kind: EnvelopeKind, name: string, version: number, payload: JsonSchema): JsonSchema {
  const properties: Record<string, JsonSchema> = {
    name: { type: 'string', const: name },
    version: { type: 'integer', const: version },
    id: stringSchema,
    flowId: stringSchema,
    payload: embeddedSchema(payload),
    identity: objectSchema,
    ...(kind === 'published' ? {} : { auth: objectSchema }),
    metadata: objectSchema,
  };
  const required = kind === 'request' ? ['name', 'version', 'id', 'flowId'] : Object.keys(properties);
  return { type: 'object', properties, required };
}

/** The payload of an error answer: the event message `{ code, parameters }`, parameters as declared. */
export function errorMessageSchema(parameters: JsonSchema, code?: string): JsonSchema {
  return {
    type: 'object',
    properties: {
      code: code === undefined ? stringSchema : { type: 'string', const: code },
      parameters: embeddedSchema(parameters),
    },
    required: ['code'],
  };
}

/** The answers every request may get besides its own: an unknown event and an invalid request. */
export const protocolErrorAnswers: readonly { name: string; payload: JsonSchema; description: string }[] = [
  {
    name: 'eventNotFound',
    description: 'No handler is registered for the requested name and version.',
    payload: errorMessageSchema(
      {
        type: 'object',
        properties: { event: stringSchema, version: { type: 'integer' } },
        required: ['event', 'version'],
      },
      'NO_EVENT_HANDLER_FOUND',
    ),
  },
  {
    name: 'badProtocol',
    description: 'The request is not a valid event; `propertyName` names the first offending field.',
    payload: errorMessageSchema(
      { type: 'object', properties: { propertyName: stringSchema } },
      'INVALID_COMMUNICATION_PROTOCOL',
    ),
  },
];

/** Error types any handler can answer whether or not its contract declares them. */
export const generalErrorAnswers: readonly { errorType: string; description: string }[] = [
  { errorType: 'badRequest', description: 'The payload does not match the schema.' },
  { errorType: 'error', description: 'The handler failed unexpectedly (code `UNHANDLED_ERROR`).' },
];
