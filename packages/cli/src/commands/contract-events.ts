/** One event version as `events diff` compares it, read from a discovery or AsyncAPI document. */
export interface ContractEvent {
  name: string;
  version: number;
  payload: unknown;
  response: unknown;
  /** Declared error type → the JSON Schema of its parameters. */
  errors: Record<string, unknown>;
  deprecated?: { sunset?: string; note?: string };
}

type Json = Record<string, unknown>;
const object = (value: unknown): Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};

function resolve(document: Json, ref: unknown): Json {
  if (typeof ref !== 'string' || !ref.startsWith('#/')) return {};
  let node: unknown = document;
  for (const part of ref.slice(2).split('/')) node = object(node)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  const found = object(node);
  return '$ref' in found ? resolve(document, found['$ref']) : found;
}

/** The `payload` schema inside a message's event envelope. */
const envelopePayload = (message: Json): unknown => object(object(message['payload'])['properties'])['payload'];

function fromAsyncApi(document: Json): ContractEvent[] {
  const events: ContractEvent[] = [];
  for (const operation of Object.values(object(document['operations'])).map(object)) {
    if (operation['action'] !== 'receive') continue;
    const channel = resolve(document, object(operation['channel'])['$ref']);
    const messages = object(channel['messages']);
    const request = resolve(document, object(messages['request'])['$ref']);
    const envelope = object(object(request['payload'])['properties']);
    const name = object(envelope['name'])['const'];
    const version = object(envelope['version'])['const'];
    if (typeof name !== 'string' || typeof version !== 'number') continue;
    const errors: Record<string, unknown> = {};
    for (const [key, reference] of Object.entries(messages)) {
      const message = resolve(document, object(reference)['$ref']);
      if (message['x-declared-error'] === true)
        errors[key] = object(object(envelopePayload(message))['properties'])['parameters'];
    }
    const deprecation = operation['x-deprecation'];
    events.push({
      name,
      version,
      payload: envelopePayload(request),
      response: envelopePayload(resolve(document, object(messages['response'])['$ref'])),
      errors,
      ...(deprecation === undefined ? {} : { deprecated: object(deprecation) }),
    });
  }
  return events;
}

function fromDiscovery(document: Json): ContractEvent[] {
  return (document['events'] as unknown[]).map(object).map((event) => ({
    name: String(event['name']),
    version: Number(event['version']),
    payload: event['payload'],
    response: event['response'],
    errors: Object.fromEntries(
      Object.entries(object(event['errors'])).map(([type, schema]) => [type, object(schema)['parameters']]),
    ),
    ...(event['deprecated'] === undefined ? {} : { deprecated: object(event['deprecated']) }),
  }));
}

/**
 * The events of a discovery document (`{ protocol: 'events', events }`) or of an AsyncAPI
 * document our server generated, keyed `name@version`; `undefined` for anything else.
 */
export function contractEventsOf(document: unknown): Map<string, ContractEvent> | undefined {
  const root = object(document);
  let events: ContractEvent[];
  if (Array.isArray(root['events'])) events = fromDiscovery(root);
  else if (typeof root['asyncapi'] === 'string' && root['asyncapi'].startsWith('3.')) events = fromAsyncApi(root);
  else return undefined;
  return new Map(events.map((event) => [`${event.name}@${event.version}`, event]));
}
