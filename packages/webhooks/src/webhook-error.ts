import { defineErrorFamily, errorGuard, type ErrorCodeOf, type ErrorIssue } from '@events-protocol/core';

/** The stable codes of {@link WebhookError}. */
export const WebhookErrorCode = {
  /** A subscription (or its retry schedule) is invalid; `issues` says where. */
  InvalidSubscription: 'INVALID_SUBSCRIPTION',
  /** A subscription to the same event type and target URL exists; `existingId` names it. */
  SubscriptionExists: 'SUBSCRIPTION_EXISTS',
  /** No subscription with that id. */
  SubscriptionNotFound: 'SUBSCRIPTION_NOT_FOUND',
  /** The target URL is refused by the target policy (not http(s), or a private address). */
  TargetRefused: 'TARGET_REFUSED',
  /** A signing secret given to sign or verify is not `whsec_` + base64 of 24–64 bytes. */
  InvalidSecret: 'INVALID_SECRET',
  /** The dispatcher options are invalid. */
  InvalidOptions: 'INVALID_OPTIONS',
  /** The dispatcher is closed. */
  Closed: 'CLOSED',
} as const;

/** A code of {@link WebhookError}. */
export type WebhookErrorCode = ErrorCodeOf<typeof WebhookErrorCode>;

/** One problem of an invalid subscription: where and what. */
export type WebhookIssue = ErrorIssue<string>;

/** Every error the webhooks package throws; `code` says which. */
export class WebhookError extends defineErrorFamily('WebhookError', WebhookErrorCode).Base<WebhookIssue> {
  /** For `SUBSCRIPTION_EXISTS`: the id of the subscription that is already there. */
  readonly existingId: string | undefined;

  constructor(
    code: WebhookErrorCode,
    message: string,
    options: { cause?: unknown; issues?: readonly WebhookIssue[]; existingId?: string } = {},
  ) {
    super(code, message, options);
    this.existingId = options.existingId;
  }
}

/** Whether a value is a {@link WebhookError}, across package copies. */
export const isWebhookError = errorGuard(WebhookError);
