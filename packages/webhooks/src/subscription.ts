import { z } from 'zod';
import { generateWebhookSecret, isWebhookSecret, webhookSecretRule } from './webhook-secret.js';

/** Credentials sent with each delivery of a subscription. */
export const webhookAuthSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('basic'), username: z.string().min(1), password: z.string() }),
  z.strictObject({ type: z.literal('bearer'), token: z.string().min(1) }),
]);

/**
 * A signing secret: Standard Webhooks' `whsec_` followed by standard, padded base64 of 24 to 64
 * random bytes. A new one is generated when none is given.
 */
export const webhookSecretSchema = z.string().refine(isWebhookSecret, { message: `must be ${webhookSecretRule}` });

const headerName = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

const retrySchema = z.strictObject({
  schedule: z.string().min(1),
  options: z.record(z.string(), z.unknown()).default({}),
});

/** The retry schedule of a subscription created without one: exponential from 1 s, capped at 1 h, 8 attempts. */
export const defaultRetry = {
  schedule: 'exponential',
  options: { baseMs: 1000, capMs: 3_600_000, maxAttempts: 8 },
} as const;

/** The fields a caller sets, without defaults: creating adds them, changing must not. */
const subscriptionFields = z.strictObject({
  /** A caller-chosen id; a new UUID when absent. */
  id: z.string().min(1).max(200).optional(),
  /** The event name delivered to this subscription, e.g. `order:placed`. */
  eventType: z.string().min(1).max(200),
  targetUrl: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }),
  secret: webhookSecretSchema,
  active: z.boolean(),
  /** A retry schedule by name and options (see core's RetryScheduleRegistry). */
  retry: retrySchema,
  auth: webhookAuthSchema.optional(),
  headers: z
    .record(z.string().regex(headerName, 'must be an HTTP header name'), z.string())
    .refine((headers) => !Object.keys(headers).some((name) => name.toLowerCase().startsWith('webhook-')), {
      message: 'webhook-* headers are set by the signature',
    })
    .optional(),
  /** The name of a callback registered on the dispatcher, called after each attempt. */
  callback: z.string().min(1).optional(),
  /** Send the event's `identity` to this subscriber; `false` by default. An event's `auth` is never sent. */
  includeIdentity: z.boolean(),
  /** At most this many attempts per second to this endpoint, from each dispatcher; unlimited when absent. */
  rateLimitPerSecond: z.number().positive().max(100_000).optional(),
  /** At most this many attempts in flight to this endpoint, in each dispatcher; unlimited when absent. */
  maxConcurrency: z.number().int().positive().max(10_000).optional(),
  /** Deliver in order: an event is not attempted before the one stored before it is delivered or given up. */
  ordered: z.boolean().optional(),
});

/** What a caller gives to create a subscription. */
export const subscriptionInputSchema = subscriptionFields.extend({
  /** The signing secret; a new {@link generateWebhookSecret} one when absent. */
  secret: webhookSecretSchema.default(generateWebhookSecret),
  active: z.boolean().default(true),
  retry: retrySchema.default(() => ({ schedule: defaultRetry.schedule, options: { ...defaultRetry.options } })),
  includeIdentity: z.boolean().default(false),
});

/** What a caller may change on a subscription (not its id); fields left out stay as they are. */
export const subscriptionPatchSchema = subscriptionFields.omit({ id: true }).partial();

/** A subscription's creation input, before defaults. */
export type SubscriptionInput = z.input<typeof subscriptionInputSchema>;
/** A change to a subscription. */
export type SubscriptionPatch = z.input<typeof subscriptionPatchSchema>;
/** Credentials of a subscription. */
export type WebhookAuth = z.output<typeof webhookAuthSchema>;

/** A stored subscription. */
export interface Subscription {
  readonly id: string;
  readonly eventType: string;
  readonly targetUrl: string;
  readonly secret: string;
  readonly active: boolean;
  readonly retry: { readonly schedule: string; readonly options: Readonly<Record<string, unknown>> };
  readonly auth?: WebhookAuth | undefined;
  readonly headers?: Readonly<Record<string, string>> | undefined;
  readonly callback?: string | undefined;
  /** Whether the event's `identity` is sent; absent (as in subscriptions saved before it existed) means no. */
  readonly includeIdentity?: boolean | undefined;
  readonly rateLimitPerSecond?: number | undefined;
  readonly maxConcurrency?: number | undefined;
  readonly ordered?: boolean | undefined;
  /** Secrets replaced by a rotation that still sign deliveries until they expire (ISO-8601), newest first. */
  readonly previousSecrets?: readonly { readonly secret: string; readonly expiresAt: string }[] | undefined;
  /** Why and when the subscription was disabled (`active: false`), by an operator or by the endpoint policy. */
  readonly disabled?: { readonly at: string; readonly reason: string; readonly automatic: boolean } | undefined;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** A subscription as shown outside: the secret and credentials masked. */
export function redactSubscription(subscription: Subscription): Omit<
  Subscription,
  'secret' | 'auth' | 'previousSecrets'
> & {
  secret: string;
  auth?: { type: string };
  previousSecrets?: { expiresAt: string }[];
} {
  const { secret, auth, previousSecrets, ...rest } = subscription;
  return {
    ...rest,
    secret: `${secret.slice(0, 6)}…`,
    ...(auth === undefined ? {} : { auth: { type: auth.type } }),
    ...(previousSecrets === undefined
      ? {}
      : { previousSecrets: previousSecrets.map(({ expiresAt }) => ({ expiresAt })) }),
  };
}
