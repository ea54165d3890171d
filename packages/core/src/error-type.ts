/**
 * The error types of the events protocol. A failed request is answered `<name>:<errorType>`,
 * except `eventNotFound` and `badProtocol`, which are bare names.
 *
 * @example
 * throw new EventError(EventErrorType.NotFound, { code: 'USER_NOT_FOUND', parameters: { userId } });
 */
export const EventErrorType = {
  Error: 'error',
  BadRequest: 'badRequest',
  Unauthorized: 'unauthorized',
  Forbidden: 'forbidden',
  NotFound: 'notFound',
  UserDenied: 'userDenied',
  ResourceDenied: 'resourceDenied',
  Expired: 'expired',
  Unprocessable: 'unprocessable',
  Gone: 'gone',
  EventNotFound: 'eventNotFound',
  BadProtocol: 'badProtocol',
} as const;

/** One of the error types the protocol names. */
export type KnownEventErrorType = (typeof EventErrorType)[keyof typeof EventErrorType];

/**
 * An error type as read from the wire: a known one, or any other suffix kept as it was sent
 * (forward compatibility: an unknown suffix is data, never a rejection).
 */
export type EventErrorTypeName = KnownEventErrorType | (string & {});

const knownErrorTypes: ReadonlySet<string> = new Set(Object.values(EventErrorType));

/** Whether `errorType` is one the protocol names, as opposed to an application's own suffix. */
export function isKnownEventErrorType(errorType: string): errorType is KnownEventErrorType {
  return knownErrorTypes.has(errorType);
}

/** The error types answered with a bare name instead of `<name>:<errorType>`. */
export function isBareErrorType(errorType: string): boolean {
  return errorType === EventErrorType.EventNotFound || errorType === EventErrorType.BadProtocol;
}
