import { EventBuilder, writeJson } from '@events-protocol/core';

const jsonHeaders: Readonly<Record<string, string>> = Object.freeze({
  'content-type': 'application/json; charset=utf-8',
});

/** A web-standard JSON answer with the given status (and extra headers, e.g. `allow`). */
export function jsonResponse(status: number, text: string, headers?: Readonly<Record<string, string>>): Response {
  return new Response(text, { status, headers: headers === undefined ? jsonHeaders : { ...headers, ...jsonHeaders } });
}

/**
 * The answer to a `HEAD` of a JSON document: the headers a `GET` gets, its length included, and no
 * body.
 */
export function jsonHeadResponse(text: string): Response {
  return new Response(null, {
    status: 200,
    headers: { ...jsonHeaders, 'content-length': String(new TextEncoder().encode(text).byteLength) },
  });
}

/**
 * The answer to a request the transport refused before any event was processed (too large, not
 * JSON, a method the route does not answer): the status says the transport failed, the body is
 * still a `badProtocol` event.
 */
export function transportRefusalResponse(status: number, headers?: Readonly<Record<string, string>>): Response {
  return jsonResponse(status, writeJson(EventBuilder.badProtocol({})), headers);
}

/** What a path other than the route gets by default: the same JSON 404 as the node:http listener's. */
export function notFoundResponse(): Response {
  return jsonResponse(404, '{"code":"NOT_FOUND","parameters":{}}');
}
