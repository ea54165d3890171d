import { EventProcessor } from '../event-processor.js';
import type { EventRegistry } from '../event-registry.js';
import type { ReplayClaim } from '../replay-store.js';
import type { TransportInfo } from '../transport-info.js';
import { resolveConsumeOptions, type ConsumeOptions, type ResolvedConsumeOptions } from './consume-options.js';
import { readStreamEvent } from './stream-event.js';
import { pause } from './pause.js';
import { streamOutcomeOf } from './stream-outcome.js';
import type { StreamMessage, StreamSource } from './stream-source.js';

/** What a consumer has done so far, counted since it started. */
export interface StreamConsumerStats {
  /** Messages pulled from the source. */
  readonly received: number;
  /** Messages handled and acknowledged. */
  readonly acknowledged: number;
  /** Messages given back to run again later. */
  readonly retried: number;
  /** Messages moved to the dead letter. */
  readonly deadLettered: number;
  /** Redelivered messages whose event was already handled: acknowledged without running again. */
  readonly duplicates: number;
  /** Messages the source failed to settle: they come back after its lease. */
  readonly unsettled: number;
  /** Messages in their handlers now. */
  readonly inFlight: number;
}

const cleared = Object.freeze({ status: 'claimed' }) satisfies ReplayClaim;

/**
 * Runs the handlers of a registry on the messages of a {@link StreamSource}, as `consume` starts
 * it: up to `concurrency` at once, each settled after its handler answered (see `consume`).
 */
export class StreamConsumer implements AsyncDisposable {
  readonly source: StreamSource;
  readonly #processor: EventProcessor;
  readonly #options: ResolvedConsumeOptions;
  readonly #inFlight = new Set<Promise<void>>();
  readonly #abort = new AbortController();
  readonly #counts = { received: 0, acknowledged: 0, retried: 0, deadLettered: 0, duplicates: 0, unsettled: 0 };
  readonly #loop: Promise<void>;
  #wake: (() => void) | undefined;
  #drained: Promise<StreamConsumerStats> | undefined;

  /** @throws {ServerError} `INVALID_OPTIONS` for bad options. */
  constructor(handlers: EventRegistry | EventProcessor, source: StreamSource, options: ConsumeOptions = {}) {
    this.#options = resolveConsumeOptions(options, { logger: options.processor?.logger, leaseMs: source.leaseMs });
    this.#processor = handlers instanceof EventProcessor ? handlers : new EventProcessor(handlers, options.processor);
    this.source = source;
    this.#loop = this.#run();
  }

  /** The counts so far. */
  get stats(): StreamConsumerStats {
    return { ...this.#counts, inFlight: this.#inFlight.size };
  }

  /**
   * Stops pulling, waits for every message in its handler to be answered and settled, then
   * resolves with the final counts. The source stays open (see {@link close}).
   */
  drain(): Promise<StreamConsumerStats> {
    this.#drained ??= (async () => {
      this.#abort.abort();
      this.#wake?.();
      await this.#loop;
      await Promise.all(this.#inFlight);
      return this.stats;
    })();
    return this.#drained;
  }

  /** Drains, then closes the source. */
  async close(): Promise<StreamConsumerStats> {
    const stats = await this.drain();
    await this.source.close?.();
    return stats;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #isStopping(): boolean {
    return this.#abort.signal.aborted;
  }

  async #run(): Promise<void> {
    const { concurrency, batchSize, logger, errorDelayMs } = this.#options;
    const signal = this.#abort.signal;
    while (!this.#isStopping()) {
      const free = concurrency - this.#inFlight.size;
      if (free <= 0) {
        await new Promise<void>((resolve) => (this.#wake = resolve));
        continue;
      }
      try {
        // Messages pulled while stopping are handled too: they are ours until their lease lapses.
        for await (const message of this.source.pull(Math.min(free, batchSize), signal)) this.#start(message);
      } catch (error) {
        if (this.#isStopping()) break;
        logger.error({ err: error, source: this.source.name }, 'stream source failed to deliver: pulling again soon');
        await pause(errorDelayMs, signal);
      }
    }
  }

  #start(message: StreamMessage): void {
    this.#counts.received += 1;
    const running: Promise<void> = this.#settle(message)
      .catch((error: unknown) => {
        this.#counts.unsettled += 1;
        this.#options.logger.error(
          { err: error, source: this.source.name, message: message.id },
          'stream message not settled: it comes back after the lease',
        );
      })
      .finally(() => {
        this.#inFlight.delete(running);
        const wake = this.#wake;
        this.#wake = undefined;
        wake?.();
      });
    this.#inFlight.add(running);
  }

  async #settle(message: StreamMessage): Promise<void> {
    const { schedule, dedup, logger } = this.#options;
    if (message.attempt > schedule.maxAttempts) {
      // The budget went to deliveries that never answered (crashes): the handler does not run again.
      await this.source.deadLetter(message, { reason: 'exhausted', attempts: message.attempt });
      this.#counts.deadLettered += 1;
      return;
    }
    const event = readStreamEvent(message.body);
    const key = dedup === undefined || event.key === undefined ? undefined : `stream\n${event.key}`;
    if (dedup !== undefined && key !== undefined) {
      const claim = await dedup.store.claim(key, dedup.leaseMs).catch((error: unknown) => {
        logger.error({ err: error, message: message.id }, 'dedup store failed: running the event without dedup');
        return cleared;
      });
      if (claim.status === 'answered') {
        await this.source.ack(message);
        this.#counts.duplicates += 1;
        return;
      }
      if (claim.status === 'running') {
        await this.source.retry(message, this.#options.busyDelayMs);
        this.#counts.retried += 1;
        return;
      }
    }
    const transport: TransportInfo = { kind: 'stream', subject: message.subject, headers: message.headers };
    const answer = await this.#processor.processEvent(event.input, { transport });
    const outcome = streamOutcomeOf(answer, message.attempt, schedule);
    if (dedup !== undefined && key !== undefined) {
      const kept =
        outcome.action === 'ack' ? dedup.store.complete(key, answer, dedup.retentionMs) : dedup.store.release(key);
      await kept.catch((error: unknown) => {
        logger.error({ err: error, message: message.id }, 'dedup store failed to keep an outcome');
      });
    }
    switch (outcome.action) {
      case 'ack':
        await this.source.ack(message);
        this.#counts.acknowledged += 1;
        return;
      case 'retry':
        await this.source.retry(message, outcome.delayMs);
        this.#counts.retried += 1;
        return;
      case 'deadLetter':
        await this.source.deadLetter(message, { reason: outcome.reason, attempts: message.attempt, answer });
        this.#counts.deadLettered += 1;
        return;
    }
  }
}
