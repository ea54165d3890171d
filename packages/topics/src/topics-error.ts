import { defineErrorFamily } from '@events-protocol/core';

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

export type TopicsErrorCode = (typeof TopicsErrorCode)[keyof typeof TopicsErrorCode];

const topicsErrors = defineErrorFamily('TopicsError', TopicsErrorCode);

/** One problem of a configuration: where (`topics[1] (billing).endpoint`) and what. */
export interface TopicsConfigIssue {
  readonly path: string;
  readonly message: string;
}

/** Every error the topics package throws itself; `code` says which. */
export class TopicsError extends topicsErrors.Base {
  readonly issues: readonly TopicsConfigIssue[];

  constructor(
    code: TopicsErrorCode,
    message: string,
    options: { cause?: unknown; issues?: readonly TopicsConfigIssue[] } = {},
  ) {
    super(code, message, { cause: options.cause });
    this.issues = options.issues ?? [];
  }
}

/** Whether a value is a {@link TopicsError}, across package copies. */
export function isTopicsError(value: unknown): value is TopicsError {
  return topicsErrors.is(value);
}
