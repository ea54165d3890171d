import { z } from 'zod';
import { isBareErrorType, type EventErrorTypeName } from './error-type.js';
import { eventFields, lenientEventFields, type EventEnvelope } from './event-envelope.js';

/**
 * An event answering a request: `<name>:response` on success, `<name>:<errorType>` on failure,
 * or the bare `eventNotFound`/`badProtocol`. Same eight fields as a request.
 */
export type ResponseEvent<TPayload = unknown> = EventEnvelope<TPayload>;

/** A response event with all eight fields, as our server writes it. */
export const responseEventSchema = z.object(eventFields);

/**
 * A response event as other implementations may send it: `version`, `id`, `flowId`, `payload`,
 * `identity`, `auth` and `metadata` may be missing. Only `name` is required.
 */
const lenientResponseEventSchema = z.object({
  name: eventFields.name,
  version: eventFields.version.optional(),
  id: eventFields.id.optional(),
  flowId: eventFields.flowId.optional(),
  ...lenientEventFields,
});

/** What a client fills into a response that left fields out: the values of its request. */
export interface ResponseEventDefaults {
  version: number;
  id: string;
  flowId: string;
}

/**
 * Reads an untrusted value as a response event, tolerating the omissions of other implementations
 * by filling them from the request. Returns `undefined` when the value is not a response event.
 */
export function readResponseEvent(value: unknown, defaults: ResponseEventDefaults): ResponseEvent | undefined {
  const result = lenientResponseEventSchema.safeParse(value);
  if (!result.success) return undefined;
  const event = result.data;
  return {
    name: event.name,
    version: event.version ?? defaults.version,
    id: event.id ?? defaults.id,
    flowId: event.flowId ?? defaults.flowId,
    payload: event.payload,
    identity: event.identity,
    auth: event.auth,
    metadata: event.metadata,
  };
}

/** The name of the success answer to `requestName`: `<requestName>:response`. */
export function responseNameFor(requestName: string): string {
  return `${requestName}:response`;
}

/** The name of an error answer: `<requestName>:<errorType>`, or the bare name for protocol errors. */
export function errorNameFor(requestName: string, errorType: EventErrorTypeName): string {
  return isBareErrorType(errorType) ? errorType : `${requestName}:${errorType}`;
}

/** What a response event's name says about the outcome. */
export type ResponseOutcome =
  | { readonly kind: 'success' }
  | { readonly kind: 'redirect' }
  | { readonly kind: 'error'; readonly errorType: EventErrorTypeName };

const success: ResponseOutcome = { kind: 'success' };
const redirect: ResponseOutcome = { kind: 'redirect' };

/**
 * Reads the outcome from a response event's name: the suffix after the last `:`. `response` is
 * success, `redirect` a redirect; any other suffix is an error type, unknown ones included. A name
 * without `:` is an error whose type is the whole name (`eventNotFound`, `badProtocol`).
 */
export function readResponseOutcome(responseName: string): ResponseOutcome {
  const colon = responseName.lastIndexOf(':');
  const suffix = colon === -1 ? responseName : responseName.slice(colon + 1);
  if (colon !== -1 && suffix === 'response') return success;
  if (colon !== -1 && suffix === 'redirect') return redirect;
  return { kind: 'error', errorType: suffix };
}

/** Whether a response event is a success (`<name>:response`) or a redirect (`<name>:redirect`). */
export function isSuccessResponse(event: Pick<ResponseEvent, 'name'>): boolean {
  return readResponseOutcome(event.name).kind !== 'error';
}

/** The error type of a response event, or `undefined` when it is a success or a redirect. */
export function errorTypeOf(event: Pick<ResponseEvent, 'name'>): EventErrorTypeName | undefined {
  const outcome = readResponseOutcome(event.name);
  return outcome.kind === 'error' ? outcome.errorType : undefined;
}
