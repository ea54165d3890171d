import { isPublishError, PublishError, PublishErrorCode } from '../publish-error.js';
import { SinkLifecycle } from '../sink-lifecycle.js';
import type { PublishedEvent, PublishOptions, Sink } from '../sink.js';

/**
 * What a {@link CompositeSink} requires: `all` sinks to take the event (the default), or `any`
 * one of them.
 */
export type CompositePolicy = 'all' | 'any';

function asPublishError(error: unknown, sink: Sink): PublishError {
  return isPublishError(error)
    ? error
    : new PublishError(
        PublishErrorCode.Unreachable,
        `${sink.name}: ${(error as Error | undefined)?.message ?? String(error)}`,
        {
          cause: error,
          sink: sink.name,
        },
      );
}

/**
 * Publishes each event to several sinks at once (fan-out). Every sink is tried, whatever the
 * others do. Policy `all` (default): resolves only when every sink took the event; otherwise
 * rejects with `PARTIAL_FAILURE` listing each failing sink in `failures`, so the caller knows the
 * event is not everywhere and can retry it; sinks that succeeded then see it again, which
 * consumers absorb by deduplicating on the event id. Policy `any`: resolves when at least one sink
 * took it, and rejects only when all failed.
 */
export class CompositeSink implements Sink {
  readonly name: string;
  readonly sinks: readonly Sink[];
  readonly #policy: CompositePolicy;
  readonly #lifecycle: SinkLifecycle;

  constructor(sinks: readonly Sink[], options: { policy?: CompositePolicy; name?: string } = {}) {
    if (sinks.length === 0)
      throw new PublishError(PublishErrorCode.InvalidOptions, 'a composite needs at least one sink');
    this.sinks = [...sinks];
    this.#policy = options.policy ?? 'all';
    this.name = options.name ?? `composite(${sinks.map((sink) => sink.name).join(', ')})`;
    this.#lifecycle = new SinkLifecycle(this.name);
  }

  async publish(event: PublishedEvent, options?: PublishOptions): Promise<void> {
    this.#lifecycle.assertOpen();
    const outcomes = await Promise.allSettled(this.sinks.map((sink) => sink.publish(event, options)));
    const failures = outcomes.flatMap((outcome, index) =>
      outcome.status === 'rejected' ? [asPublishError(outcome.reason, this.sinks[index] as Sink)] : [],
    );
    const tolerated = this.#policy === 'any' ? failures.length < this.sinks.length : failures.length === 0;
    if (tolerated) return;
    throw new PublishError(
      PublishErrorCode.PartialFailure,
      `${this.name}: ${failures.length} of ${this.sinks.length} sinks failed: ${failures.map((failure) => failure.message).join('; ')}`,
      { failures, sink: this.name },
    );
  }

  /** Healthy when every sink is (`all`) or one is (`any`). */
  async healthCheck(): Promise<boolean> {
    const healthy = await Promise.all(this.sinks.map((sink) => sink.healthCheck().catch(() => false)));
    return this.#policy === 'any' ? healthy.some(Boolean) : healthy.every(Boolean);
  }

  /** Closes every sink once; later publishes reject with `CLOSED`. */
  close(): Promise<void> {
    return this.#lifecycle.close(async () => {
      await Promise.all(this.sinks.map(async (sink) => sink.close?.()));
    });
  }
}
