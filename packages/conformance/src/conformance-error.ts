/** The stable codes of {@link ConformanceError}: mistakes in how the kit is called, never check outcomes. */
export const ConformanceErrorCode = {
  InvalidOptions: 'INVALID_OPTIONS',
  UnknownCheck: 'UNKNOWN_CHECK',
} as const;

/** A code of {@link ConformanceError}. */
export type ConformanceErrorCode = (typeof ConformanceErrorCode)[keyof typeof ConformanceErrorCode];

/**
 * Thrown for programmer errors only: an invalid URL or option, an unknown check id. A server that
 * fails checks, or cannot be reached, is a report, never a throw.
 */
export class ConformanceError extends Error {
  override readonly name = 'ConformanceError';
  readonly code: ConformanceErrorCode;

  constructor(code: ConformanceErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

const conformanceErrorCodes: ReadonlySet<string> = new Set(Object.values(ConformanceErrorCode));

/** Whether `value` is a {@link ConformanceError}, also across copies of this package. */
export function isConformanceError(value: unknown): value is ConformanceError {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return (
    candidate['name'] === 'ConformanceError' &&
    typeof candidate['code'] === 'string' &&
    conformanceErrorCodes.has(candidate['code'])
  );
}
