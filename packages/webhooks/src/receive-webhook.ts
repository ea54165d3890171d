import {
  readJsonBody,
  type EventPayloadIssue,
  type JsonObject,
  type PublishedEventContract,
  type PublishedEventOf,
} from '@events-protocol/core';
import { verifyWebhook, type WebhookVerification } from './verify-webhook.js';
import { WebhookError, WebhookErrorCode } from './webhook-error.js';

/** The headers of a delivery: a fetch `Headers`, or Node's `IncomingHttpHeaders` (Express, Fastify). */
export type WebhookHeaders = Headers | Readonly<Record<string, string | readonly string[] | undefined>>;

/** What {@link receiveWebhook} needs besides the contracts. */
export interface ReceiveWebhookOptions {
  /** The subscription's `whsec_` secret; several during a rotation (any of them verifies). */
  secret: string | readonly string[];
  headers: WebhookHeaders;
  /** The raw body as received, before any JSON parsing: the signature covers its bytes. */
  body: string | Uint8Array;
  /** How far `webhook-timestamp` may be from now; 300 s by default. */
  toleranceSeconds?: number;
  /** The clock, in ms since the epoch. */
  now?: () => number;
}

/** Why a delivery was refused: its signature, its body, or its event. */
export type WebhookRefusalReason =
  Exclude<WebhookVerification, { valid: true }>['reason'] | 'invalid-body' | 'unknown-event' | 'invalid-payload';

/** A delivery {@link receiveWebhook} refused: why, the HTTP status to answer, and for `invalid-payload` the issues. */
export interface WebhookRefusal {
  readonly ok: false;
  readonly reason: WebhookRefusalReason;
  /** 401 for a missing or bad signature or a stale timestamp, 400 for an invalid body or payload, 422 for an unknown event. */
  readonly status: 400 | 401 | 422;
  readonly message: string;
  readonly issues: readonly EventPayloadIssue[];
}

/** A delivery of one of the contracts' events, its payload parsed by the contract. */
export type ReceivedWebhookEvent<TContract extends PublishedEventContract> = TContract extends PublishedEventContract
  ? PublishedEventOf<TContract>
  : never;

/** A verified, parsed delivery: the typed event (narrow it by `event.name`), its `webhook-id` and timestamp. */
export interface WebhookReceipt<TContract extends PublishedEventContract> {
  readonly ok: true;
  readonly event: ReceivedWebhookEvent<TContract>;
  readonly contract: TContract;
  /** The `webhook-id` header: the event id, the same on every retry; deduplicate on it. */
  readonly webhookId: string;
  /** The `webhook-timestamp` header, in seconds since the epoch. */
  readonly timestamp: number;
}

/** What {@link receiveWebhook} resolves to: a receipt, or a refusal (never thrown). */
export type WebhookReceiveResult<TContract extends PublishedEventContract> = WebhookReceipt<TContract> | WebhookRefusal;

function refusal(
  reason: WebhookRefusalReason,
  message: string,
  issues: readonly EventPayloadIssue[] = [],
): WebhookRefusal {
  const status =
    reason === 'invalid-body' || reason === 'invalid-payload' ? 400 : reason === 'unknown-event' ? 422 : 401;
  return { ok: false, reason, status, message, issues };
}

const signatureMessages = {
  'missing-headers': 'the webhook-id, webhook-timestamp or webhook-signature header is missing',
  'timestamp-out-of-range': 'the webhook-timestamp is too far from now',
  'invalid-signature': 'no signature matches the body',
} as const;

function verified(options: ReceiveWebhookOptions): WebhookVerification {
  const secrets = typeof options.secret === 'string' ? [options.secret] : options.secret;
  const text = typeof options.body === 'string' ? options.body : Buffer.from(options.body).toString('utf8');
  const verifyOptions = {
    ...(options.toleranceSeconds === undefined ? {} : { toleranceSeconds: options.toleranceSeconds }),
    ...(options.now === undefined ? {} : { now: options.now }),
  };
  let result: WebhookVerification = { valid: false, reason: 'invalid-signature' };
  for (const secret of secrets) {
    result = verifyWebhook(secret, options.headers, text, verifyOptions);
    if (result.valid || result.reason !== 'invalid-signature') return result;
  }
  return result;
}

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Receives a webhook delivery in one call: verifies its Standard Webhooks signature and timestamp
 * (with {@link verifyWebhook}), parses the body (64-bit integers exact), finds the contract of its
 * `name` and `version`, and parses the payload with it. Resolves a typed receipt, or a refusal
 * with the status to answer; never throws for what the request holds.
 *
 * @example
 * const result = receiveWebhook([orderPlaced, orderCancelled], { secret, headers: req.headers, body: req.body });
 * if (!result.ok) return res.status(result.status).json({ reason: result.reason });
 * if (result.event.name === 'order:placed') ship(result.event.payload.orderId);
 * @throws {WebhookError} `INVALID_SECRET` for a malformed secret, `INVALID_OPTIONS` for a body
 * that is not the raw text or bytes (a JSON parser ran first: use `express.raw`, or a Fastify
 * buffer parser): both the caller's mistakes, not the request's.
 */
export function receiveWebhook<TContract extends PublishedEventContract>(
  contracts: TContract | readonly TContract[],
  options: ReceiveWebhookOptions,
): WebhookReceiveResult<TContract> {
  const list: readonly TContract[] = Array.isArray(contracts) ? contracts : [contracts as TContract];
  if (typeof options.body !== 'string' && !(options.body instanceof Uint8Array)) {
    throw new WebhookError(
      WebhookErrorCode.InvalidOptions,
      'receiveWebhook needs the raw body (a string or bytes) to verify its signature: was it parsed as JSON first?',
    );
  }
  const check = verified(options);
  if (!check.valid) return refusal(check.reason, signatureMessages[check.reason]);
  let body: unknown;
  try {
    body = readJsonBody(options.body);
  } catch {
    return refusal('invalid-body', 'the body is not JSON');
  }
  if (!isObject(body) || typeof body.name !== 'string' || !Number.isInteger(body.version)) {
    return refusal('invalid-body', 'the body is not an event with a name and a version');
  }
  const { name, version } = body as { name: string; version: number };
  const contract = list.find((candidate) => candidate.name === name && candidate.version === version);
  if (contract === undefined) return refusal('unknown-event', `no contract for '${name}' version ${version}`);
  const parsed = contract.check(body.payload);
  if (!parsed.valid) {
    return refusal(
      'invalid-payload',
      `the payload of '${name}' version ${version} does not match its contract`,
      parsed.issues,
    );
  }
  const event = {
    name,
    version,
    id: typeof body.id === 'string' ? body.id : check.id,
    flowId: typeof body.flowId === 'string' ? body.flowId : check.id,
    payload: parsed.payload,
    identity: isObject(body.identity) ? body.identity : {},
    auth: {},
    metadata: isObject(body.metadata) ? body.metadata : {},
    createdAt: typeof body.createdAt === 'string' ? body.createdAt : new Date(check.timestamp * 1000).toISOString(),
  } as ReceivedWebhookEvent<TContract>;
  return { ok: true, event, contract, webhookId: check.id, timestamp: check.timestamp };
}

/**
 * Receives a delivery from a web-standard `Request` (a fetch handler, Bun, Deno, workers): reads
 * its body as text once, then {@link receiveWebhook}.
 *
 * @example
 * export default { fetch: async (request) => {
 *   const result = await receiveWebhookRequest(request, orderPlaced, { secret });
 *   return new Response(null, { status: result.ok ? 204 : result.status });
 * } };
 */
export async function receiveWebhookRequest<TContract extends PublishedEventContract>(
  request: { readonly headers: Headers; text(): Promise<string> },
  contracts: TContract | readonly TContract[],
  options: Omit<ReceiveWebhookOptions, 'headers' | 'body'>,
): Promise<WebhookReceiveResult<TContract>> {
  let body: string;
  try {
    body = await request.text();
  } catch {
    return refusal('invalid-body', 'the body could not be read');
  }
  return receiveWebhook(contracts, { ...options, headers: request.headers, body });
}
