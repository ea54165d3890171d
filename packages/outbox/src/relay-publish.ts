import { performance } from 'node:perf_hooks';
import type { PublishOptions, Sink } from '@events-protocol/publish';
import type { ClaimedEvent } from './outbox-store.js';
import type { RelaySettings } from './relay-options.js';
import type { PublishOutcome } from './relay-settlement.js';

/**
 * Publishes claimed entries and measures each attempt: in one call when the sink takes batches
 * (every entry then shares the batch's duration), otherwise one by one, `concurrency` at a time.
 * Never rejects: what the sink threw is the outcome of that entry.
 */
export async function publishClaims(
  sink: Sink,
  claims: readonly ClaimedEvent[],
  settings: Pick<RelaySettings, 'clock' | 'concurrency' | 'publishTimeoutMs'>,
): Promise<PublishOutcome[]> {
  const options = (claimed: ClaimedEvent): PublishOptions => {
    const made: PublishOptions = {
      attributes: claimed.attributes,
      signal: AbortSignal.timeout(settings.publishTimeoutMs),
    };
    if (claimed.topic !== undefined) made.topic = claimed.topic;
    return made;
  };
  const publishBatch = sink.publishBatch?.bind(sink);
  if (publishBatch !== undefined && claims.length > 1) {
    const at = new Date(settings.clock());
    const started = performance.now();
    let settled: PromiseSettledResult<unknown>[];
    try {
      settled = await publishBatch(claims.map((item) => ({ event: item.event, options: options(item) })));
    } catch (error) {
      settled = claims.map(() => ({ status: 'rejected', reason: error }));
    }
    const durationMs = performance.now() - started;
    return claims.map((_, index): PublishOutcome => {
      const outcome = settled[index];
      if (outcome?.status === 'fulfilled') return { ok: true, at, durationMs, report: outcome.value };
      const error: unknown = outcome?.reason ?? new Error('the sink gave no outcome for this event');
      return { ok: false, at, durationMs, error };
    });
  }
  const publishOne = async (claimed: ClaimedEvent): Promise<PublishOutcome> => {
    const at = new Date(settings.clock());
    const started = performance.now();
    try {
      const report = await sink.publish(claimed.event, options(claimed));
      return { ok: true, at, durationMs: performance.now() - started, report };
    } catch (error) {
      return { ok: false, at, durationMs: performance.now() - started, error };
    }
  };
  const outcomes = new Array<PublishOutcome>(claims.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let index = next++, claimed = claims[index]; claimed !== undefined; index = next++, claimed = claims[index]) {
      outcomes[index] = await publishOne(claimed);
    }
  };
  await Promise.all(Array.from({ length: Math.min(settings.concurrency, claims.length) }, worker));
  return outcomes;
}
