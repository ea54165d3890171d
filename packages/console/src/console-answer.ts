import { writeJson } from '@events-protocol/core';

/** Headers every answer of the console carries: nothing is cached, nothing framed, nothing sniffed. */
const commonHeaders = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
} as const;

/** The page's policy: its own script, style and API only; no inline script, no frames, no forms posted away. */
export const contentSecurityPolicy =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** A JSON answer (64-bit integers in payloads kept exact). */
export function jsonAnswer(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(writeJson(body), {
    status,
    headers: { ...commonHeaders, 'content-type': 'application/json; charset=utf-8', ...headers },
  });
}

/** An asset of the page, with its content type and the page's security policy. */
export function assetAnswer(body: string, contentType: string): Response {
  return new Response(body, {
    status: 200,
    headers: { ...commonHeaders, 'content-type': contentType, 'content-security-policy': contentSecurityPolicy },
  });
}

/** A redirect, e.g. from `/ops` to `/ops/` so the page's relative URLs resolve. */
export function redirectAnswer(location: string): Response {
  return new Response(null, { status: 308, headers: { ...commonHeaders, location } });
}

/**
 * A request the console refuses, with its HTTP status and a stable code: answered as
 * `{ code, message }`. Thrown inside the console's handlers only, never out of `fetch`.
 */
export class ApiRefusal extends Error {
  override readonly name = 'ApiRefusal';
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }

  /** The answer: `{ code, message }` with the status. */
  answer(headers: Record<string, string> = {}): Response {
    return jsonAnswer(this.status, { code: this.code, message: this.message }, headers);
  }
}

/** A 400 `BAD_REQUEST` naming what is wrong. */
export function badRequest(message: string): ApiRefusal {
  return new ApiRefusal(400, 'BAD_REQUEST', message);
}

/** A 404 `NOT_FOUND` naming what is missing. */
export function notFound(message: string): ApiRefusal {
  return new ApiRefusal(404, 'NOT_FOUND', message);
}
