import { EgressErrorCode, isEgressError } from '@events-protocol/client/egress';
import { PublishError, PublishErrorCode } from '../publish-error.js';

const publishCodeOf: Readonly<Record<EgressErrorCode, PublishErrorCode>> = {
  [EgressErrorCode.Timeout]: PublishErrorCode.Timeout,
  [EgressErrorCode.Unreachable]: PublishErrorCode.Unreachable,
  // Cut off mid-answer: the target may or may not have taken the event; it is sent again.
  [EgressErrorCode.ResponseInterrupted]: PublishErrorCode.Unreachable,
  [EgressErrorCode.ResponseTooLarge]: PublishErrorCode.Rejected,
  [EgressErrorCode.Aborted]: PublishErrorCode.Aborted,
  [EgressErrorCode.Closed]: PublishErrorCode.Closed,
  [EgressErrorCode.InvalidOptions]: PublishErrorCode.InvalidEvent,
};

/**
 * What an HTTP sink throws when the egress gave no answer: the egress's failure (its message names
 * the phase) as the {@link PublishError} of the same meaning, the egress error as its cause.
 */
export function publishErrorOfEgress(error: unknown, sink: string): PublishError {
  if (!isEgressError(error)) {
    return new PublishError(PublishErrorCode.Unreachable, `${sink}: ${String(error)}`, { cause: error, sink });
  }
  return new PublishError(publishCodeOf[error.code], `${sink}: ${error.message}`, {
    cause: error,
    sink,
  });
}
