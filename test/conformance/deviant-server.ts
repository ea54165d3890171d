import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { readJson, readRequestEvent, writeJson, type RequestEvent } from '@events-protocol/core';
import { offendingFields, type Answer } from './deviant-reading.js';

/** The ways {@link deviantEchoServer} breaks (or bends) the protocol; none by default. */
export interface Deviations {
  /** Copies the request's `auth` or `identity` into the answer. */
  echo?: 'auth' | 'identity';
  /** Reads and writes with plain JSON.parse/JSON.stringify, rounding 64-bit integers. */
  roundBigIntegers?: boolean;
  /** The HTTP status of error answers (200 by the protocol). */
  errorStatus?: number;
  /** How an unknown event is answered: the protocol's, the tolerated `<name>:notFound`, or `<name>:error`. */
  notFound?: 'eventNotFound' | 'tolerated' | 'error';
  /** Routes by name only, so the echo handler answers at every version. */
  ignoreVersion?: boolean;
  /** `badProtocol` names the field under the older key `missingProperty`. */
  missingPropertyKey?: boolean;
  /** Requires all eight fields (a strict server). */
  strict?: boolean;
  /** Decodes request bodies as Latin-1 when their content type names no charset, or when it names one. */
  latin1?: 'without-charset' | 'with-charset';
  /** Drops control characters (U+0000 to U+001F) from the strings it writes. */
  stripControlCharacters?: boolean;
  /** Reads a JSON array holding one event as that event. */
  unwrapArrays?: boolean;
  /** Answers `application/json` without a charset, or `text/plain`. */
  contentType?: 'no-charset' | 'text';
  /** Serves `/events` only, not `/events/`. */
  noTrailingSlash?: boolean;
  /** Writes the answer's fields in alphabetical order. */
  sortedFields?: boolean;
  /** Writes `flow_id` instead of `flowId` in every answer. */
  snakeCaseFlowId?: boolean;
  /** Reads this field of any type as `{}` instead of refusing it. */
  anyContextType?: 'identity' | 'auth' | 'metadata';
  /** Takes only object payloads, as a model class would, and hangs up on any other. */
  objectPayloadsOnly?: boolean;
  /** Reads any number or numeric string as a version, truncated (0, -1, 1.5 → 1, "1" → 1). */
  coerceVersion?: boolean;
  /** Takes the empty string as a name. */
  acceptEmptyName?: boolean;
  /** Refuses unknown top-level keys with `badProtocol`. */
  refuseUnknownKeys?: boolean;
  /** Names the last offending field, not the first. */
  lastOffendingField?: boolean;
  /** Protocol errors carry the request's version instead of 1. */
  copyVersionOnErrors?: boolean;
  /** Protocol errors carry new ids instead of the request's. */
  newIdsOnErrors?: boolean;
  /** A success carries a new `flowId` instead of the request's. */
  newFlowIdOnSuccess?: boolean;
  /** Successes are named `<name>:ok`. */
  successSuffix?: string;
  /** Error payloads are a message string, not `{code, parameters}`. */
  messageErrorPayloads?: boolean;
  /** `badProtocol` answers use another code than INVALID_COMMUNICATION_PROTOCOL. */
  badProtocolCode?: string;
  /** Hangs up on text that is not JSON instead of answering `badProtocol`. */
  hangUpOnUnparseable?: boolean;
  /** The name the echo handler is registered under (`conformance:echo`). */
  echoName?: string;
}

/** Tells the listener to hang up without an answer. */
const hangUp = Symbol('hang up');

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
    const named = /charset=/i.test(request.headers['content-type'] ?? '') ? 'with-charset' : 'without-charset';
    void readBytes(request).then((bytes) => {
      const answer = answerFor(bytes.toString(deviations.latin1 === named ? 'latin1' : 'utf8'), deviations);
      if (answer === hangUp) request.socket.destroy();
      else respond(response, answer, deviations);
    });
  };
}

function answerFor(text: string, deviations: Deviations): Answer | typeof hangUp {
  let value: unknown;
  try {
    value = deviations.roundBigIntegers === true ? JSON.parse(text) : readJson(text);
  } catch {
    return deviations.hangUpOnUnparseable === true ? hangUp : badProtocol(undefined, {}, deviations);
  }
  const read = readRequestEvent(loosened(value, deviations), { strict: deviations.strict === true });
  const unknownKey = deviations.refuseUnknownKeys === true && hasUnknownKey(value);
  if (!read.ok || unknownKey) {
    const fields = offendingFields(value, deviations.strict === true);
    const named = deviations.lastOffendingField === true ? fields.at(-1) : fields[0];
    return badProtocol(unknownKey && read.ok ? 'conformanceExtra' : named, value, deviations);
  }
  const event = read.event;
  const echoName = deviations.echoName ?? 'conformance:echo';
  if (event.name !== echoName || (event.version !== 1 && deviations.ignoreVersion !== true)) {
    return notFound(event, deviations);
  }
  if (deviations.objectPayloadsOnly === true && !isObject(event.payload)) return hangUp;
  const context = {
    identity: {},
    auth: {},
    ...(deviations.echo === undefined ? {} : { [deviations.echo]: event[deviations.echo] }),
  };
  const ids = deviations.newFlowIdOnSuccess === true ? { ...event, flowId: crypto.randomUUID() } : event;
  return envelope(
    `${event.name}:${deviations.successSuffix ?? 'response'}`,
    event.version,
    ids,
    event.payload,
    context,
  );
}

/** The request as a lenient binder sees it: coerced where a deviation says so. */
function loosened(value: unknown, deviations: Deviations): unknown {
  if (deviations.unwrapArrays === true && Array.isArray(value) && value.length === 1)
    return loosened(value[0], deviations);
  if (!isObject(value)) return value;
  const fields = { ...value };
  const field = deviations.anyContextType;
  if (field !== undefined && field in fields && !isObject(fields[field])) fields[field] = {};
  if (deviations.coerceVersion === true && ['number', 'string'].includes(typeof fields['version'])) {
    const version = Math.trunc(Number(fields['version']));
    // A version the registry cannot hold reads as an unknown one, as a lookup in a map would.
    if (Number.isFinite(version)) fields['version'] = version >= 1 ? version : 999_999;
  }
  if (deviations.acceptEmptyName === true && fields['name'] === '') fields['name'] = 'empty';
  return fields;
}

function hasUnknownKey(value: unknown): boolean {
  const known = new Set(['name', 'version', 'id', 'flowId', 'payload', 'identity', 'auth', 'metadata']);
  return isObject(value) && Object.keys(value).some((key) => !known.has(key));
}

function badProtocol(field: string | undefined, request: unknown, deviations: Deviations): Answer {
  const key = deviations.missingPropertyKey === true ? 'missingProperty' : 'propertyName';
  const parameters = field === undefined ? {} : { [key]: field };
  const code = deviations.badProtocolCode ?? 'INVALID_COMMUNICATION_PROTOCOL';
  const fields = isObject(request) ? request : {};
  const usable = (value: unknown): string | undefined =>
    typeof value === 'string' && value !== '' ? value : undefined;
  const ids = {
    id: (deviations.newIdsOnErrors === true ? undefined : usable(fields['id'])) ?? crypto.randomUUID(),
    flowId: (deviations.newIdsOnErrors === true ? undefined : usable(fields['flowId'])) ?? crypto.randomUUID(),
  };
  const version =
    deviations.copyVersionOnErrors === true && typeof fields['version'] === 'number' ? fields['version'] : 1;
  return envelope('badProtocol', version, ids, errorPayload(code, parameters, deviations));
}

function notFound(event: RequestEvent, deviations: Deviations): Answer {
  const parameters = { event: event.name, version: event.version };
  const ids = deviations.newIdsOnErrors === true ? { id: crypto.randomUUID(), flowId: crypto.randomUUID() } : event;
  const version = deviations.copyVersionOnErrors === true ? event.version : 1;
  switch (deviations.notFound ?? 'eventNotFound') {
    case 'eventNotFound':
      return envelope('eventNotFound', version, ids, errorPayload('NO_EVENT_HANDLER_FOUND', parameters, deviations));
    case 'tolerated':
      return envelope(
        `${event.name}:notFound`,
        event.version,
        ids,
        errorPayload('EVENT_NOT_FOUND', parameters, deviations),
      );
    case 'error':
      return envelope(`${event.name}:error`, event.version, ids, errorPayload('UNHANDLED_ERROR', {}, deviations));
  }
}

function errorPayload(code: string, parameters: Record<string, unknown>, deviations: Deviations): unknown {
  return deviations.messageErrorPayloads === true ? `${code}: the request failed` : { code, parameters };
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
  let fields: Record<string, unknown> = answer;
  if (deviations.snakeCaseFlowId === true) {
    fields = Object.fromEntries(
      Object.entries(fields).map(([key, value]) => [key === 'flowId' ? 'flow_id' : key, value]),
    );
  }
  if (deviations.sortedFields === true) fields = Object.fromEntries(Object.entries(fields).sort());
  if (deviations.stripControlCharacters === true) fields = withoutControlCharacters(fields) as Record<string, unknown>;
  const text = deviations.roundBigIntegers === true ? JSON.stringify(fields) : writeJson(fields);
  const isError = !answer.name.endsWith(`:${deviations.successSuffix ?? 'response'}`);
  const contentType = { 'no-charset': 'application/json', text: 'text/plain; charset=utf-8' } as const;
  response.writeHead(isError ? (deviations.errorStatus ?? 200) : 200, {
    'content-type':
      deviations.contentType === undefined ? 'application/json; charset=utf-8' : contentType[deviations.contentType],
  });
  response.end(text);
}

// U+0000 to U+001F, written without control characters in the source.
const controlCharacters = new RegExp(`[${String.fromCharCode(0)}-${String.fromCharCode(0x1f)}]`, 'g');

function withoutControlCharacters(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(controlCharacters, '');
  if (Array.isArray(value)) return value.map(withoutControlCharacters);
  if (!isObject(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withoutControlCharacters(item)]));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function readBytes(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
