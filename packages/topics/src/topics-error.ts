/** The stable codes of {@link TopicsError}. */
export const TopicsErrorCode = {
  /** The topics configuration is invalid; `issues` names each topic and field. */
  InvalidConfig: 'INVALID_CONFIG',
  /** A topic that is not configured. */
  TopicNotConfigured: 'TOPIC_NOT_CONFIGURED',
  /** The publisher's options are invalid. */
  InvalidOptions: 'INVALID_OPTIONS',
} as const;

export type TopicsErrorCode = (typeof TopicsErrorCode)[keyof typeof TopicsErrorCode];

const codes: ReadonlySet<string> = new Set(Object.values(TopicsErrorCode));

/** One problem of a configuration: where (`topics[1] (billing).endpoint`) and what. */
export interface TopicsConfigIssue {
  readonly path: string;
  readonly message: string;
}

/** Every error the topics package throws itself; `code` says which. */
export class TopicsError extends Error {
  override readonly name = 'TopicsError';
  readonly code: TopicsErrorCode;
  readonly issues: readonly TopicsConfigIssue[];

  constructor(
    code: TopicsErrorCode,
    message: string,
    options: { cause?: unknown; issues?: readonly TopicsConfigIssue[] } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.issues = options.issues ?? [];
  }
}

/** Whether a value is a {@link TopicsError}, across package copies. */
export function isTopicsError(value: unknown): value is TopicsError {
  if (!(value instanceof Error) || value.name !== 'TopicsError') return false;
  const code: unknown = (value as { code?: unknown }).code;
  return typeof code === 'string' && codes.has(code);
}
