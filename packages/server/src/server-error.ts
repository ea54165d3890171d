/** The stable codes of {@link ServerError}: mistakes in how the server is set up, never request outcomes. */
export const ServerErrorCode = {
  DuplicateHandler: 'DUPLICATE_HANDLER',
  InvalidHandler: 'INVALID_HANDLER',
  InvalidOptions: 'INVALID_OPTIONS',
} as const;

/** A code of {@link ServerError}. */
export type ServerErrorCode = (typeof ServerErrorCode)[keyof typeof ServerErrorCode];

/**
 * Thrown at set-up time for programmer errors: a handler registered twice for the same name and
 * version, a handler without a name, bad options. Request outcomes are never thrown.
 */
export class ServerError extends Error {
  override readonly name = 'ServerError';
  readonly code: ServerErrorCode;

  constructor(code: ServerErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

const serverErrorCodes: ReadonlySet<string> = new Set(Object.values(ServerErrorCode));

/** Whether `value` is a {@link ServerError}, across copies of this package. */
export function isServerError(value: unknown): value is ServerError {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return (
    candidate['name'] === 'ServerError' &&
    typeof candidate['code'] === 'string' &&
    serverErrorCodes.has(candidate['code'])
  );
}
