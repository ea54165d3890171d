import type { RetrySchedule } from '@events-protocol/core';
import type { Sink } from '@events-protocol/publish';
import type { OutboxLogger } from './outbox-logger.js';
import type { ClaimedEvent, OutboxStore, Settlement } from './outbox-store.js';
import { relayPauseMs } from './relay-backoff.js';
import { publishClaims } from './relay-publish.js';
import {
  resolveRelayOptions,
  type AttemptReport,
  type OutboxRelayOptions,
  type RelayBatchResult,
  type RelaySettings,
} from './relay-options.js';
import {
  attemptRecordOf,
  budgetSpent,
  budgetSpentAttempt,
  isDeferral,
  scheduleFailedAttempt,
  settlementOf,
} from './relay-settlement.js';
import type { PublishOutcome } from './relay-settlement.js';
import { retriesInterruptedAttempt } from './stored-record.js';

/** A claimed entry with its schedule, or with the settlement it gets without being published. */
type Plan = { claimed: ClaimedEvent; schedule: RetrySchedule } | { claimed: ClaimedEvent; settlement: Settlement };

/**
 * The worker that empties an outbox: claims due entries, publishes each through the sink, and
 * records every attempt (when, how long, what the target answered, why it failed) with what
 * follows: delivered, retried on the schedule (never sooner than the target's `Retry-After`), or
 * after the last attempt moved to the undelivered store. A whole batch is settled in one store
 * call. Run as many relays as you like, in one process or on many machines: leases keep them from
 * delivering the same entry at once, and an entry whose relay died is claimed again when its
 * lease expires (at-least-once). Every claim is an attempt: an interrupted one is recorded as
 * `interrupted` and counts against the schedule's `maxAttempts`, so an event that crashes its
 * relay every time still ends undelivered. Idle, the relay sleeps until the store hears of an
 * enqueue, or `pollIntervalMs` at the longest.
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
  #stopping: AbortController | undefined;

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
    const stopping = new AbortController();
    this.#stopping = stopping;
    const loop = this.#run(stopping.signal).finally(() => {
      if (this.#loop === loop) this.#loop = undefined;
    });
    this.#loop = loop;
  }

  /** Stops the loop (ending its sleep at once) and resolves once the batch in flight is settled. */
  async stop(): Promise<void> {
    this.#stopping?.abort();
    await this.#loop;
  }

  /**
   * Claims one batch, publishes it and settles it, for tests, scripts and cron-style relays.
   *
   * @throws whatever the store throws when claiming.
   */
  async runOnce(): Promise<RelayBatchResult> {
    return (await this.#runBatch()).result;
  }

  async #run(signal: AbortSignal): Promise<void> {
    // A store failure (a lost connection, a lock) is logged and waited out, longer each time in a
    // row: the loop never ends but by stop().
    let failures = 0;
    while (!signal.aborted) {
      let more = false;
      try {
        more = (await this.#runBatch()).more;
        failures = 0;
      } catch (error) {
        failures++;
        this.#logger.error({ err: error, store: this.#store.name, failures }, 'outbox relay could not claim events');
      }
      if (more || isAborted(signal)) continue;
      if (failures > 0) await pause(relayPauseMs(this.#settings.pollIntervalMs, failures), signal);
      else await this.#idle(signal);
    }
  }

  /** Sleeps until the store hears of an enqueue, the poll interval ends, or stop() is called. */
  async #idle(signal: AbortSignal): Promise<void> {
    try {
      await this.#store.waitForEntries(this.#settings.pollIntervalMs, signal);
    } catch (error) {
      // The contract says it never rejects; a store that does must not make the loop spin.
      this.#logger.error({ err: error, store: this.#store.name }, 'outbox store could not wait for entries');
      await pause(this.#settings.pollIntervalMs, signal);
    }
  }

  /** One batch, and whether more may be due at once (a full batch, or an interrupted attempt retried alone). */
  async #runBatch(): Promise<{ result: RelayBatchResult; more: boolean }> {
    const { schedule, batchSize, leaseMs, clock } = this.#settings;
    const claimed = await this.#store.claim({
      limit: batchSize,
      leaseMs,
      now: new Date(clock()),
      owner: this.owner,
      ...(schedule === undefined ? {} : { maxAttempts: schedule.maxAttempts }),
    });
    // Stores claim an interrupted attempt's entry alone: more may wait behind it.
    const [first, second] = claimed;
    const more =
      claimed.length === batchSize || (first !== undefined && second === undefined && retriesInterruptedAttempt(first));
    const result: RelayBatchResult = {
      claimed: claimed.length,
      delivered: 0,
      retried: 0,
      undelivered: 0,
      unrecorded: 0,
    };
    if (claimed.length === 0) return { result, more };

    const plans = await Promise.all(claimed.map((item) => this.#plan(item)));
    const toPublish = plans.filter((plan) => 'schedule' in plan);
    const outcomes = await publishClaims(
      this.#sink,
      toPublish.map((plan) => plan.claimed),
      this.#settings,
    );
    const now = clock();
    const outcomeOf = new Map(toPublish.map((plan, index) => [plan.claimed, outcomes[index]]));
    // Deferrals (the sink put the attempt back unmade) are recorded, but are not attempts to report.
    const deferred = new Set<Settlement>();
    const settlements = plans.map((plan): Settlement => {
      if ('settlement' in plan) return plan.settlement;
      const outcome = outcomeOf.get(plan.claimed) ?? missingOutcome(new Date(now));
      const attempt = attemptRecordOf(plan.claimed, outcome);
      const error = outcome.ok ? undefined : outcome.error;
      const settlement = settlementOf(plan.claimed, attempt, error, plan.schedule, now);
      if (isDeferral(error)) deferred.add(settlement);
      return settlement;
    });
    const recorded = await this.#settle(settlements, new Date(now));
    settlements.forEach((settlement, index) => {
      if (recorded[index] !== true) result.unrecorded++;
      else if (settlement.next === 'delivered') result.delivered++;
      else if (settlement.next === 'retry') result.retried++;
      else result.undelivered++;
    });
    await this.#report(settlements, recorded, deferred);
    return { result, more };
  }

  /** Finds an entry's schedule, and settles it unpublished when its budget is spent or no schedule is found. */
  async #plan(claimed: ClaimedEvent): Promise<Plan> {
    const at = new Date(this.#settings.clock());
    let schedule: RetrySchedule;
    try {
      schedule = await this.#settings.scheduleOf(claimed);
    } catch (error) {
      this.#logger.error(
        { err: error, entryId: claimed.id },
        'outbox relay could not find the retry schedule of an entry',
      );
      const attempt = scheduleFailedAttempt(claimed, at, error);
      const nextAttemptAt = new Date(at.getTime() + this.#settings.leaseMs);
      return { claimed, settlement: { claimed, attempt, next: 'retry', nextAttemptAt } };
    }
    if (!budgetSpent(claimed, schedule)) return { claimed, schedule };
    return {
      claimed,
      settlement: { claimed, attempt: budgetSpentAttempt(claimed, schedule, at), next: 'undelivered' },
    };
  }

  /** Settles the batch in one store call; never throws (what the store could not take is unrecorded). */
  async #settle(settlements: readonly Settlement[], now: Date): Promise<boolean[]> {
    let recorded: boolean[];
    try {
      recorded = await this.#store.settle(settlements, now);
    } catch (error) {
      this.#logger.error(
        { err: error, store: this.#store.name, entries: settlements.length },
        'outbox relay could not record the outcomes of a batch',
      );
      return settlements.map(() => false);
    }
    settlements.forEach((settlement, index) => {
      const { claimed, attempt, next } = settlement;
      if (recorded[index] !== true) {
        this.#logger.warn(
          { entryId: claimed.id, owner: this.owner },
          'outbox claim lost before its outcome was recorded',
        );
      } else if (next !== 'delivered') {
        const fields = {
          entryId: claimed.id,
          eventId: claimed.event.id,
          attempt: attempt.attempt,
          error: attempt.error?.message,
        };
        if (next === 'retry')
          this.#logger.debug({ ...fields, nextAttemptAt: settlement.nextAttemptAt }, 'outbox entry will be retried');
        else this.#logger.debug(fields, 'outbox entry undelivered after its last attempt');
      }
    });
    return recorded;
  }

  async #report(
    settlements: readonly Settlement[],
    recorded: readonly boolean[],
    deferred: ReadonlySet<Settlement>,
  ): Promise<void> {
    const { onAttempt, observers } = this.#settings;
    if (onAttempt === undefined && observers.length === 0) return;
    for (const [index, settlement] of settlements.entries()) {
      if (deferred.has(settlement)) continue;
      const { claimed, attempt, next } = settlement;
      const plain: AttemptReport = { claimed, attempt, next, recorded: recorded[index] === true };
      const report = settlement.next === 'retry' ? { ...plain, nextAttemptAt: settlement.nextAttemptAt } : plain;
      try {
        if (onAttempt !== undefined) await onAttempt(report);
      } catch (error) {
        this.#logger.error({ err: error, entryId: claimed.id }, 'outbox relay onAttempt hook failed');
      }
      for (const observer of observers) {
        try {
          observer(report);
        } catch (error) {
          this.#logger.error({ err: error, entryId: claimed.id }, 'outbox relay observer failed');
        }
      }
    }
  }
}

/** Whether `signal` aborted; read through a call, so a loop re-reads it after every await. */
function isAborted(signal: AbortSignal): boolean {
  return signal.aborted;
}

/** What an entry whose publish left no outcome is recorded as: never expected, never lost. */
function missingOutcome(at: Date): PublishOutcome {
  return { ok: false, at, durationMs: 0, error: new Error('the relay got no outcome for this entry') };
}

/** Waits `ms`, or less when `signal` aborts; never rejects. On the global timers, as a test's clock fakes them. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
