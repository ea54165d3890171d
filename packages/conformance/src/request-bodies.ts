import { newEventId, writeJson } from '@events-protocol/core';
import type { CheckContext } from './conformance-check.js';

/** A request event as the kit builds it: a plain object, so a check can break any field. */
export type RequestFields = Record<string, unknown>;

/**
 * The payload of requests whose check is not about payloads: an object, which every server's
 * model takes, so a server that takes only objects fails the payload checks and no others.
 */
export const objectPayload: Readonly<Record<string, unknown>> = Object.freeze({ probe: 'events-conformance' });

/**
 * A well-formed request to the echo handler with all eight fields in wire order, fresh UUIDs, an
 * object payload and `fields` replacing (or adding) keys.
 */
export function echoRequest(context: CheckContext, fields: RequestFields = {}): RequestFields {
  return {
    name: context.echoEvent,
    version: context.echoVersion,
    id: newEventId(),
    flowId: newEventId(),
    payload: { ...objectPayload },
    identity: {},
    auth: {},
    metadata: { origin: 'events-conformance' },
    ...fields,
  };
}

/** A copy of `request` without the named keys. */
export function withoutFields(request: RequestFields, ...names: readonly string[]): RequestFields {
  return Object.fromEntries(Object.entries(request).filter(([key]) => !names.includes(key)));
}

/** The JSON text of a request; `bigint` values keep every digit. */
export function bodyOf(request: RequestFields): string {
  return writeJson(request);
}

/** The request's `id` and `flowId` when they are strings, as the answer has to copy them. */
export function idsOf(request: RequestFields): { id: string | undefined; flowId: string | undefined } {
  const { id, flowId } = request;
  return {
    id: typeof id === 'string' && id !== '' ? id : undefined,
    flowId: typeof flowId === 'string' && flowId !== '' ? flowId : undefined,
  };
}
