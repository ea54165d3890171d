import type { EventPayloadIssue } from './define-published-event.js';
import { defineErrorFamily, errorGuard, type ErrorCodeOf } from './error-family.js';

/** The stable codes of {@link PublishedEventError}. */
export const PublishedEventErrorCode = { InvalidEvent: 'INVALID_EVENT' } as const;
/** A code of {@link PublishedEventError}. */
export type PublishedEventErrorCode = ErrorCodeOf<typeof PublishedEventErrorCode>;

/** A payload a published event's contract refuses; `issues` says where and why. */
export class PublishedEventError extends defineErrorFamily('PublishedEventError', PublishedEventErrorCode)
  .Base<EventPayloadIssue> {
  constructor(message: string, options: { issues: readonly EventPayloadIssue[]; cause?: unknown }) {
    super(PublishedEventErrorCode.InvalidEvent, message, options);
  }
}

/** Whether a value is a {@link PublishedEventError}, across package copies. */
export const isPublishedEventError = errorGuard(PublishedEventError);
