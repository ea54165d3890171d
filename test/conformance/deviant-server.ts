import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { readJson, readRequestEvent, writeJson, type RequestEvent } from '@events-protocol/core';

/** The ways {@link deviantEchoServer} breaks (or bends) the protocol; none by default. */
export interface Deviations {
  /** Copies the request's identity and auth into the answer. */
  echoContext?: boolean;
  /** Reads and writes with plain JSON.parse/JSON.stringify, rounding 64-bit integers. */
  roundBigIntegers?: boolean;
  /** The HTTP status of error answers (200 by the protocol). */
  errorStatus?: number;
  /** How an unknown event is answered: the protocol's, the tolerated `<name>:notFound`, or `<name>:error`. */
  notFound?: 'eventNotFound' | 'tolerated' | 'error';
  /** `badProtocol` names the field under the older key `missingProperty`. */
  missingPropertyKey?: boolean;
  /** Requires all eight fields (a strict server). */
  strict?: boolean;
  /** Decodes request bodies as Latin-1. */
  latin1?: boolean;
  /** Answers `application/json` without a charset. */
  noCharset?: boolean;
  /** Serves `/events` only, not `/events/`. */
  noTrailingSlash?: boolean;
  /** Writes the answer's fields in alphabetical order. */
  sortedFields?: boolean;
  /** Reads identity/auth/metadata of any type as `{}` instead of refusing them. */
  anyContextType?: boolean;
}

/**
 * A raw node:http implementation of the protocol for one echo handler (`conformance:echo` v1),
 * independent of our server package, that deviates exactly as asked: the kit must catch each.
 */
export function deviantEchoServer(deviations: Deviations = {}): RequestListener {
  return (request, response) => {
    const paths = deviations.noTrailingSlash === true ? ['/events'] : ['/events', '/events/'];
    if (!paths.includes(request.url ?? '')) {
      response.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>');
      return;
    }
    void readBytes(request).then((bytes) => {
      const text = bytes.toString(deviations.latin1 === true ? 'latin1' : 'utf8');
      respond(response, answerFor(text, deviations), deviations);
    });
  };
}

type Answer = Record<string, unknown> & { name: string };

function answerFor(text: string, deviations: Deviations): Answer {
  let value: unknown;
  try {
    value = deviations.roundBigIntegers === true ? JSON.parse(text) : readJson(text);
  } catch {
    return badProtocol(undefined, {}, deviations);
  }
  const read = readRequestEvent(loosened(value, deviations), { strict: deviations.strict === true });
  if (!read.ok) return badProtocol(read.propertyName, read, deviations);
  const event = read.event;
  if (event.name !== 'conformance:echo' || event.version !== 1) return notFound(event, deviations);
  const context =
    deviations.echoContext === true ? { identity: event.identity, auth: event.auth } : { identity: {}, auth: {} };
  return envelope(`${event.name}:response`, event.version, event, event.payload, context);
}

function loosened(value: unknown, deviations: Deviations): unknown {
  if (deviations.anyContextType !== true || typeof value !== 'object' || value === null) return value;
  const fields = { ...(value as Record<string, unknown>) };
  for (const key of ['identity', 'auth', 'metadata']) {
    if (key in fields && (typeof fields[key] !== 'object' || Array.isArray(fields[key]))) fields[key] = {};
  }
  return fields;
}

function badProtocol(
  field: string | undefined,
  ids: { id?: string | undefined; flowId?: string | undefined },
  deviations: Deviations,
): Answer {
  const key = deviations.missingPropertyKey === true ? 'missingProperty' : 'propertyName';
  const parameters = field === undefined ? {} : { [key]: field };
  const payload = { code: 'INVALID_COMMUNICATION_PROTOCOL', parameters };
  return envelope(
    'badProtocol',
    1,
    { id: ids.id ?? crypto.randomUUID(), flowId: ids.flowId ?? crypto.randomUUID() },
    payload,
  );
}

function notFound(event: RequestEvent, deviations: Deviations): Answer {
  const parameters = { event: event.name, version: event.version };
  switch (deviations.notFound ?? 'eventNotFound') {
    case 'eventNotFound':
      return envelope('eventNotFound', 1, event, { code: 'NO_EVENT_HANDLER_FOUND', parameters });
    case 'tolerated':
      return envelope(`${event.name}:notFound`, event.version, event, { code: 'EVENT_NOT_FOUND', parameters });
    case 'error':
      return envelope(`${event.name}:error`, event.version, event, { code: 'UNHANDLED_ERROR', parameters: {} });
  }
}

function envelope(
  name: string,
  version: number,
  ids: { id: string; flowId: string },
  payload: unknown,
  context: { identity: unknown; auth: unknown } = { identity: {}, auth: {} },
): Answer {
  return { name, version, id: ids.id, flowId: ids.flowId, payload, ...context, metadata: {} };
}

function respond(response: ServerResponse, answer: Answer, deviations: Deviations): void {
  const fields = deviations.sortedFields === true ? Object.fromEntries(Object.entries(answer).sort()) : answer;
  const text = deviations.roundBigIntegers === true ? JSON.stringify(fields) : writeJson(fields);
  const isError = !answer.name.endsWith(':response');
  response.writeHead(isError ? (deviations.errorStatus ?? 200) : 200, {
    'content-type': deviations.noCharset === true ? 'application/json' : 'application/json; charset=utf-8',
  });
  response.end(text);
}

async function readBytes(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
