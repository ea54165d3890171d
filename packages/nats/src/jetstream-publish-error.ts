import { PublishError, PublishErrorCode } from '@events-protocol/publish';
import type { JetStreamManager } from '@nats-io/jetstream';
import { describeNatsError, jetStreamApiCode, readNatsFailure } from './nats-failure.js';

/** What the sink knows when a publish failed: where it went and how to ask JetStream about it. */
export interface PublishFailureContext {
  readonly sink: string;
  readonly subject: string;
  readonly timeoutMs: number;
  /** Asks JetStream which stream captures the subject, when no one answered the publish. */
  readonly manager: () => Promise<JetStreamManager>;
}

/**
 * Whether a stream captures `subject`: `false` only when JetStream said that none does, `true`
 * when one does, and `undefined` when JetStream could not be asked.
 */
async function streamCaptures(context: PublishFailureContext): Promise<boolean | undefined> {
  try {
    const manager = await context.manager();
    await manager.streams.find(context.subject);
    return true;
  } catch (error) {
    return (error as { name?: unknown }).name === 'StreamNotFoundError' ? false : undefined;
  }
}

/**
 * The one mapping of what the NATS client threw for a JetStream publish to a {@link PublishError}.
 * No PubAck in time is `TIMEOUT` (retryable: the event id deduplicates a retry of a publish that
 * did land). No responders is `UNDELIVERABLE` when JetStream says no stream captures the subject
 * (a missing stream: permanent, with the fix in the message) and `UNREACHABLE` otherwise (a stream
 * between leaders, during a node's restart). A JetStream API error (a full stream, a wrong
 * expected stream) is `REJECTED`; an event over the server's `max_payload` `INVALID_EVENT` (permanent);
 * a closed connection and anything else `UNREACHABLE`.
 */
export async function publishErrorOf(error: unknown, context: PublishFailureContext): Promise<PublishError> {
  const { sink, subject } = context;
  const at = `${sink}: publish to '${subject}'`;
  switch (readNatsFailure(error)) {
    case 'timeout':
      return new PublishError(PublishErrorCode.Timeout, `${at}: no PubAck within ${context.timeoutMs} ms`, {
        cause: error,
        sink,
      });
    case 'noResponders': {
      const captured = await streamCaptures(context);
      if (captured === false) {
        return new PublishError(
          PublishErrorCode.Undeliverable,
          `${at}: no JetStream stream captures this subject; create one (e.g. with \`events topics apply\`) or map the topic to a subject a stream captures`,
          { cause: error, sink },
        );
      }
      return new PublishError(
        PublishErrorCode.Unreachable,
        `${at}: no JetStream server answered (a stream electing its leader, or JetStream unavailable)`,
        { cause: error, sink },
      );
    }
    case 'apiError': {
      const code = jetStreamApiCode(error);
      const detail = code === undefined ? '' : ` (JetStream error ${code})`;
      return new PublishError(
        PublishErrorCode.Rejected,
        `${at}: JetStream refused the message${detail}: ${describeNatsError(error)}`,
        { cause: error, sink },
      );
    }
    case 'tooLarge':
      return new PublishError(
        PublishErrorCode.InvalidEvent,
        `${at}: the event is larger than the server's max_payload`,
        { cause: error, sink },
      );
    case 'closed':
      return new PublishError(PublishErrorCode.Unreachable, `${at}: the NATS connection is closed`, {
        cause: error,
        sink,
      });
    case 'other':
      return new PublishError(PublishErrorCode.Unreachable, `${at} failed: ${describeNatsError(error)}`, {
        cause: error,
        sink,
      });
  }
}
