import { defineErrorFamily, errorGuard, type ErrorCodeOf, type ErrorIssue } from '@events-protocol/core';

/**
 * The stable codes of {@link TopicsError}. An unknown topic is a `PublishError`
 * `TOPIC_NOT_CONFIGURED`, as from `@events-protocol/publish`'s `TopicPublisher`.
 */
export const TopicsErrorCode = {
  /** The topics configuration is invalid; `issues` names each topic and field. */
  InvalidConfig: 'INVALID_CONFIG',
  /** The publisher's options are invalid. */
  InvalidOptions: 'INVALID_OPTIONS',
} as const;

/** A code of {@link TopicsError}. */
export type TopicsErrorCode = ErrorCodeOf<typeof TopicsErrorCode>;

/** One problem of a configuration: where (`topics[1] (billing).endpoint`) and what. */
export type TopicsConfigIssue = ErrorIssue<string>;

/** Every error the topics package throws itself; `code` says which. */
export class TopicsError extends defineErrorFamily('TopicsError', TopicsErrorCode).Base<TopicsConfigIssue> {}

/** Whether a value is a {@link TopicsError}, across package copies. */
export const isTopicsError = errorGuard(TopicsError);
