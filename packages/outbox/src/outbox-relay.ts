import { isPermanentPublishError, type PublishOptions, type Sink } from '@events-protocol/publish';
import type { OutboxLogger } from './outbox-logger.js';
import type { ClaimedEvent, OutboxStore } from './outbox-store.js';
import {
  resolveRelayOptions,
  type OutboxRelayOptions,
  type RelayBatchResult,
  type RelaySettings,
} from './relay-options.js';
import { relayPauseMs } from './relay-backoff.js';
import { describeAttemptError, retriesInterruptedAttempt } from './stored-record.js';

type Outcome = 'delivered' | 'retried' | 'undelivered' | 'unrecorded';

/**
 * The worker that empties an outbox: claims due events, publishes each through the sink, and
 * records the outcome: delivered, retried on the schedule, or after the last attempt moved to
 * the undelivered store with the errors of every attempt. Run as many relays as you like, in
 * one process or on many machines: leases keep them from delivering the same event at once, and
 * an event whose relay died is claimed again when its lease expires (at-least-once). Every claim
 * is an attempt: an interrupted one is recorded as `LEASE_EXPIRED` and counts against the
 * schedule's `maxAttempts`, so an event that crashes its relay every time still ends undelivered.
 *
 * @example
 * const relay = new OutboxRelay({ store, sink: new HttpSink({ url }), schedule: { schedule: 'fixed', options: { delayMs: 5000, maxAttempts: 5 } } });
 * relay.start();
 * // on shutdown
 * await relay.stop();
 */
export class OutboxRelay {
  readonly owner: string;
  readonly #store: OutboxStore;
  readonly #sink: Sink;
  readonly #settings: RelaySettings;
  readonly #logger: OutboxLogger;
  #loop: Promise<void> | undefined;
  #stopping = false;
  #wake: (() => void) | undefined;

  /**
   * @throws {OutboxError} `INVALID_OPTIONS` for options it cannot use (a bad schedule included).
   */
  constructor(options: OutboxRelayOptions) {
    const settings = resolveRelayOptions(options);
    this.owner = settings.owner;
    this.#store = options.store;
    this.#sink = options.sink;
    this.#settings = settings;
    this.#logger = settings.logger;
  }

  /** Whether the relay loop runs. */
  get running(): boolean {
    return this.#loop !== undefined;
  }

  /** Starts the loop in the background; does nothing when it already runs. */
  start(): void {
    if (this.#loop !== undefined) return;
    this.#stopping = false;
    const loop = this.#run().finally(() => {
      if (this.#loop === loop) this.#loop = undefined;
    });
    this.#loop = loop;
  }

  /** Stops the loop and resolves once the batch in flight is published and recorded. */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#wake?.();
    await this.#loop;
  }

  /**
   * Claims one batch and delivers it, for tests, scripts and cron-style relays.
   *
   * @throws whatever the store throws when claiming.
   */
  async runOnce(): Promise<RelayBatchResult> {
    return (await this.#runBatch()).result;
  }

  /** One batch, and whether more may be due at once (a full batch, or an interrupted attempt retried alone). */
  async #runBatch(): Promise<{ result: RelayBatchResult; more: boolean }> {
    const claimed = await this.#store.claim({
      limit: this.#settings.batchSize,
      leaseMs: this.#settings.leaseMs,
      now: new Date(this.#settings.clock()),
      owner: this.owner,
      maxAttempts: this.#settings.schedule.maxAttempts,
    });
    // Stores claim an interrupted attempt's event alone: more may wait behind it.
    const [first, second] = claimed;
    const more =
      claimed.length === this.#settings.batchSize ||
      (first !== undefined && second === undefined && retriesInterruptedAttempt(first));
    const result: RelayBatchResult = {
      claimed: claimed.length,
      delivered: 0,
      retried: 0,
      undelivered: 0,
      unrecorded: 0,
    };
    const publishBatch = this.#sink.publishBatch?.bind(this.#sink);
    if (publishBatch !== undefined && claimed.length > 1) {
      // One pipeline (or request) for the whole batch, then every outcome recorded.
      const outcomes = await publishBatch(claimed.map((item) => ({ event: item.event, options: this.#options(item) })));
      const recorded = await Promise.all(
        claimed.map((item, index) => {
          const outcome = outcomes[index];
          return outcome?.status === 'fulfilled'
            ? this.#record(item, false, undefined)
            : this.#record(item, true, outcome?.reason ?? new Error('the sink gave no outcome for this event'));
        }),
      );
      for (const outcome of recorded) result[outcome]++;
      return { result, more };
    }
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let item = claimed[next++]; item !== undefined; item = claimed[next++]) {
        result[await this.#deliver(item)]++;
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.#settings.concurrency, claimed.length) }, worker));
    return { result, more };
  }

  async #run(): Promise<void> {
    // A store failure (a lost connection, a lock) is logged and waited out, longer each time in a
    // row: the loop never ends but by stop().
    let failures = 0;
    while (!this.#stopRequested()) {
      let full = false;
      try {
        full = (await this.#runBatch()).more;
        failures = 0;
      } catch (error) {
        failures++;
        this.#logger.error({ err: error, store: this.#store.name, failures }, 'outbox relay could not claim events');
      }
      if (!full && !this.#stopRequested()) await this.#pause(relayPauseMs(this.#settings.pollIntervalMs, failures));
    }
  }

  /** A method, not the field, so the loop re-reads it after every await. */
  #stopRequested(): boolean {
    return this.#stopping;
  }

  #pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = done;
    });
  }

  async #deliver(claimed: ClaimedEvent): Promise<Outcome> {
    try {
      await this.#sink.publish(claimed.event, this.#options(claimed));
      return await this.#record(claimed, false, undefined);
    } catch (error) {
      return this.#record(claimed, true, error);
    }
  }

  #options(claimed: ClaimedEvent): PublishOptions {
    const options: PublishOptions = {
      attributes: claimed.attributes,
      signal: AbortSignal.timeout(this.#settings.publishTimeoutMs),
    };
    if (claimed.topic !== undefined) options.topic = claimed.topic;
    return options;
  }

  /** Records a publish's outcome; never throws (an outcome the store could not take is `unrecorded`). */
  async #record(claimed: ClaimedEvent, failed: boolean, failure: unknown): Promise<Outcome> {
    try {
      return failed ? await this.#recordFailure(claimed, failure) : await this.#recordDelivery(claimed);
    } catch (error) {
      this.#logger.error({ err: error, eventId: claimed.event.id }, 'outbox relay could not record an outcome');
      return 'unrecorded';
    }
  }

  async #recordDelivery(claimed: ClaimedEvent): Promise<Outcome> {
    if (await this.#store.markDelivered(claimed, new Date(this.#settings.clock()))) return 'delivered';
    this.#logger.warn(
      { eventId: claimed.event.id, owner: this.owner },
      'outbox claim lost before delivery was recorded',
    );
    return 'unrecorded';
  }

  async #recordFailure(claimed: ClaimedEvent, failure: unknown): Promise<Outcome> {
    const now = this.#settings.clock();
    const error = describeAttemptError(failure, claimed.attempt, new Date(now));
    // An event the sink refused for itself (INVALID_EVENT, SERIALIZATION_FAILED) fails every retry alike.
    const delay = isPermanentPublishError(failure) ? undefined : this.#settings.schedule.delayAfter(claimed.attempt);
    const recorded =
      delay === undefined
        ? await this.#store.moveToUndelivered(claimed, error, new Date(now))
        : await this.#store.markFailed(claimed, error, new Date(now + delay));
    if (!recorded) {
      this.#logger.warn(
        { eventId: claimed.event.id, owner: this.owner },
        'outbox claim lost before failure was recorded',
      );
      return 'unrecorded';
    }
    this.#logger.debug(
      { eventId: claimed.event.id, attempt: claimed.attempt, delayMs: delay, error: error.message },
      delay === undefined ? 'outbox event undelivered after its last attempt' : 'outbox event will be retried',
    );
    return delay === undefined ? 'undelivered' : 'retried';
  }
}
