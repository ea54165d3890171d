import { EventErrorType, type EventErrorTypeName } from './error-type.js';
import type { JsonObject } from './event-envelope.js';
import { EventIdSource } from './event-id-source.js';
import { EventMessageCode, type EventMessage } from './event-message.js';
import type { RequestEvent } from './request-event.js';
import { errorNameFor, responseNameFor, type ResponseEvent } from './response-event.js';

/** What a caller gives to build a request event; everything but `name` and `payload` has a default. */
export interface RequestEventInit<TPayload = unknown> {
  name: string;
  version?: number;
  payload: TPayload;
  /** A new UUID when absent. */
  id?: string;
  /** A new UUID when absent. */
  flowId?: string;
  identity?: JsonObject;
  auth?: JsonObject;
  metadata?: JsonObject;
}

/** What a response may set besides its payload. Identity and auth are never copied from the request. */
export interface ResponseEventInit {
  identity?: JsonObject;
  auth?: JsonObject;
  metadata?: JsonObject;
}

/** The parts of a request a response copies: its name, version, id and flowId. */
export type RequestEventKey = Pick<RequestEvent, 'name' | 'version' | 'id' | 'flowId'>;

/** The ids of this module copy: one source, so that every id it makes is greater than the last. */
const eventIds = new EventIdSource();

/**
 * A new event id or flowId: a v7 UUID, random but ordered by creation time, so that stored events
 * (the outbox's and the webhooks' tables) are indexed in the order they arrive. Every package
 * creates ids with this. The random bytes come from a pool refilled every 256 ids (see
 * {@link EventIdSource}): one Web Crypto call per id would cost more than the rest of a client call's work.
 */
export function newEventId(): string {
  return eventIds.next();
}

function request<TPayload>(init: RequestEventInit<TPayload>): RequestEvent<TPayload> {
  return {
    name: init.name,
    version: init.version ?? 1,
    id: init.id ?? newEventId(),
    flowId: init.flowId ?? newEventId(),
    payload: init.payload,
    identity: init.identity ?? {},
    auth: init.auth ?? {},
    metadata: init.metadata ?? {},
  };
}

function answer<TPayload>(
  name: string,
  version: number,
  request: Pick<RequestEvent, 'id' | 'flowId'>,
  payload: TPayload,
  init?: ResponseEventInit,
): ResponseEvent<TPayload> {
  return {
    name,
    version,
    id: request.id,
    flowId: request.flowId,
    payload,
    identity: init?.identity ?? {},
    auth: init?.auth ?? {},
    metadata: init?.metadata ?? {},
  };
}

function responseFor<TPayload>(
  request: RequestEventKey,
  payload: TPayload,
  init?: ResponseEventInit,
): ResponseEvent<TPayload> {
  return answer(responseNameFor(request.name), request.version, request, payload, init);
}

function redirectFor(
  request: RequestEventKey,
  redirect: { url: string; queryParameters?: Record<string, string> },
  init?: ResponseEventInit,
): ResponseEvent<{ url: string; queryParameters: Record<string, string> }> {
  const payload = { url: redirect.url, queryParameters: redirect.queryParameters ?? {} };
  return answer(`${request.name}:redirect`, request.version, request, payload, init);
}

function errorFor(
  request: RequestEventKey,
  errorType: EventErrorTypeName,
  message: { code: string; parameters?: Record<string, unknown> },
  init?: ResponseEventInit,
): ResponseEvent<EventMessage> {
  const payload = { code: message.code, parameters: message.parameters ?? {} };
  return answer(errorNameFor(request.name, errorType), request.version, request, payload, init);
}

function eventNotFound(request: RequestEventKey): ResponseEvent<EventMessage> {
  const payload = {
    code: EventMessageCode.NoEventHandlerFound,
    parameters: { event: request.name, version: request.version },
  };
  return answer(EventErrorType.EventNotFound, 1, request, payload);
}

function badProtocol(details: {
  propertyName?: string | undefined;
  id?: string | undefined;
  flowId?: string | undefined;
}): ResponseEvent<EventMessage> {
  const parameters: Record<string, unknown> =
    details.propertyName === undefined ? {} : { propertyName: details.propertyName };
  const ids = { id: details.id ?? newEventId(), flowId: details.flowId ?? newEventId() };
  return answer(EventErrorType.BadProtocol, 1, ids, {
    code: EventMessageCode.InvalidCommunicationProtocol,
    parameters,
  });
}

/**
 * Builds events exactly as the protocol names them. Responses copy the request's `id`, `flowId`
 * and `version`, and never its identity or auth.
 *
 * @example
 * const request = EventBuilder.request({ name: 'user:get', payload: { userId: '42' } });
 * const answer = EventBuilder.errorFor(request, EventErrorType.NotFound, { code: 'USER_NOT_FOUND' });
 * // answer.name === 'user:get:notFound'
 */
export const EventBuilder = {
  /** A request event; new UUIDs for `id` and `flowId` where absent, version 1 by default. */
  request,
  /** The success answer `<name>:response` with `payload`. */
  responseFor,
  /** The redirect answer `<name>:redirect` with `{ url, queryParameters }`. */
  redirectFor,
  /** A typed error answer `<name>:<errorType>` with `{ code, parameters }`. */
  errorFor,
  /** The answer to a request no handler is registered for: `eventNotFound`, version 1. */
  eventNotFound,
  /**
   * The answer to something that is not a valid event: `badProtocol`, version 1, naming the first
   * offending field; new UUIDs where the request had no usable `id`/`flowId`.
   */
  badProtocol,
} as const;
