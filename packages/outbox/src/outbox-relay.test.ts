import { fixedSchedule, type RetrySchedule } from '@events-protocol/core';
import { PublishError, type DeliveryReport, type PublishedEvent, type Sink } from '@events-protocol/publish';
import { describe, expect, it } from 'vitest';
import type { OutboxLogger } from './outbox-logger.js';
import { OutboxRelay } from './outbox-relay.js';
import type { ClaimOptions, ClaimedEvent, OutboxStore, Settlement } from './outbox-store.js';
import type { AttemptReport, OutboxRelayOptions } from './relay-options.js';
import { interruptedAttempt } from './stored-record.js';

// The relay against a store that hands out prepared claims and records what it is told: what the
// relay decides and how often it calls the store. The stores themselves run the store contract
// in test/outbox on real databases.

function event(id: string): PublishedEvent {
  return {
    name: 'order:created',
    version: 1,
    id,
    flowId: 'flow-1',
    payload: { id },
    identity: {},
    auth: {},
    metadata: {},
    createdAt: '2026-01-01T00:00:00.000Z',
  };
}

function claimed(id: string, attempt = 1, extra: Partial<ClaimedEvent> = {}): ClaimedEvent {
  const history = Array.from({ length: attempt - 1 }, (_, index) => interruptedAttempt(index + 1, new Date(0)));
  return {
    id,
    receipt: `receipt-${id}`,
    event: event(`event-${id}`),
    topic: 'orders',
    attributes: { tenant: 'acme' },
    attempt,
    history,
    enqueuedAt: new Date(0),
    ...extra,
  };
}

class RecordingStore implements Partial<OutboxStore> {
  readonly name = 'recording';
  readonly claims: ClaimOptions[] = [];
  readonly settles: { settlements: readonly Settlement[]; now: Date }[] = [];
  readonly waits: number[] = [];
  batches: ClaimedEvent[][] = [];
  flags: ((settlement: Settlement) => boolean) | undefined;
  settleError: Error | undefined;
  claimError: Error | undefined;

  claim(options: ClaimOptions): Promise<ClaimedEvent[]> {
    this.claims.push(options);
    if (this.claimError !== undefined) return Promise.reject(this.claimError);
    return Promise.resolve(this.batches.shift() ?? []);
  }

  settle(settlements: readonly Settlement[], now: Date): Promise<boolean[]> {
    this.settles.push({ settlements, now });
    if (this.settleError !== undefined) return Promise.reject(this.settleError);
    return Promise.resolve(settlements.map((settlement) => this.flags?.(settlement) ?? true));
  }

  /** Ends only when the relay stops: a relay that waits here is idle. */
  waitForEntries(timeoutMs: number, signal: AbortSignal): Promise<void> {
    this.waits.push(timeoutMs);
    return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  }
}

class ScriptedSink implements Sink {
  readonly name = 'scripted';
  readonly published: string[] = [];
  outcome: (event: PublishedEvent) => Promise<DeliveryReport | undefined> = () =>
    Promise.resolve({ status: 200, responseExcerpt: 'ok' });

  async publish(published: PublishedEvent): Promise<DeliveryReport | undefined> {
    this.published.push(published.id);
    return this.outcome(published);
  }

  healthCheck(): Promise<boolean> {
    return Promise.resolve(true);
  }
}

function recordingLogger(): OutboxLogger & { lines: { level: string; message: string | undefined }[] } {
  const lines: { level: string; message: string | undefined }[] = [];
  const at = (level: string) => (_: object, message?: string) => void lines.push({ level, message });
  return { lines, debug: at('debug'), warn: at('warn'), error: at('error') };
}

const start = Date.parse('2026-01-01T00:00:00Z');

function relayOf(store: RecordingStore, sink: Sink, options: Partial<OutboxRelayOptions> = {}): OutboxRelay {
  return new OutboxRelay({
    store: store as unknown as OutboxStore,
    sink,
    clock: () => start,
    schedule: fixedSchedule({ delayMs: 1000, maxAttempts: 3 }),
    ...options,
  });
}

describe('OutboxRelay', () => {
  it('settles a whole batch in one store call, with a measured record per attempt', async () => {
    const store = new RecordingStore();
    store.batches = [[claimed('a'), claimed('b'), claimed('c')]];
    const sink = new ScriptedSink();
    sink.outcome = async (published) => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      if (published.id !== 'event-b') return undefined;
      throw new PublishError('REJECTED', 'answered 503', { status: 503, responseExcerpt: 'busy' });
    };
    const relay = relayOf(store, sink, { concurrency: 2 });
    expect(await relay.runOnce()).toEqual({ claimed: 3, delivered: 2, retried: 1, undelivered: 0, unrecorded: 0 });
    expect(store.settles).toHaveLength(1);
    const [{ settlements, now }] = store.settles as [(typeof store.settles)[number]];
    expect(now).toEqual(new Date(start));
    expect(settlements.map((settlement) => [settlement.claimed.id, settlement.next])).toEqual([
      ['a', 'delivered'],
      ['b', 'retry'],
      ['c', 'delivered'],
    ]);
    expect(settlements[1]).toMatchObject({
      nextAttemptAt: new Date(start + 1000),
      attempt: { attempt: 1, outcome: 'failed', status: 503, responseExcerpt: 'busy', error: { code: 'REJECTED' } },
    });
    for (const { attempt } of settlements) {
      expect(attempt.at).toBe(new Date(start).toISOString());
      expect(attempt.durationMs).toBeGreaterThanOrEqual(25);
    }
    expect(store.claims[0]).toMatchObject({ limit: 50, maxAttempts: 3, owner: relay.owner });
  });

  it('keeps what a sink reports of a delivery', async () => {
    const store = new RecordingStore();
    store.batches = [[claimed('a')]];
    const sink = new ScriptedSink();
    await relayOf(store, sink).runOnce();
    expect(store.settles[0]?.settlements[0]?.attempt).toMatchObject({
      outcome: 'delivered',
      status: 200,
      responseExcerpt: 'ok',
    });
  });

  it('waits for a Retry-After longer than the schedule’s delay', async () => {
    const store = new RecordingStore();
    store.batches = [[claimed('a')]];
    const sink = new ScriptedSink();
    sink.outcome = () =>
      Promise.reject(new PublishError('REJECTED', 'slow down', { status: 429, retryAfterMs: 120_000 }));
    await relayOf(store, sink).runOnce();
    expect(store.settles[0]?.settlements[0]).toMatchObject({ next: 'retry', nextAttemptAt: new Date(start + 120_000) });
  });

  it('hands a batch to a sink that takes batches in one call, and settles it in one call', async () => {
    const store = new RecordingStore();
    store.batches = [[claimed('a'), claimed('b'), claimed('c')]];
    const calls: number[] = [];
    const sink: Sink = {
      name: 'batching',
      publish: () => Promise.reject(new Error('publish one by one was not expected')),
      publishBatch: (batch) => {
        calls.push(batch.length);
        return Promise.resolve(
          batch.map((item): PromiseSettledResult<DeliveryReport> =>
            item.event.id === 'event-b'
              ? { status: 'rejected', reason: new Error('rejected') }
              : { status: 'fulfilled', value: { status: 202 } },
          ),
        );
      },
      healthCheck: () => Promise.resolve(true),
    };
    expect(await relayOf(store, sink).runOnce()).toEqual({
      claimed: 3,
      delivered: 2,
      retried: 1,
      undelivered: 0,
      unrecorded: 0,
    });
    expect(calls).toEqual([3]);
    expect(store.settles).toHaveLength(1);
    expect(store.settles[0]?.settlements.map((settlement) => settlement.attempt.status)).toEqual([202, undefined, 202]);
  });

  it('gives each entry its own schedule from an async resolver, and claims without one budget', async () => {
    const store = new RecordingStore();
    store.batches = [[claimed('short'), claimed('long')]];
    const sink = new ScriptedSink();
    sink.outcome = () => Promise.reject(new Error('down'));
    const schedules: Record<string, RetrySchedule> = {
      short: fixedSchedule({ delayMs: 0, maxAttempts: 1 }),
      long: fixedSchedule({ delayMs: 5000, maxAttempts: 10 }),
    };
    const schedule = async (entry: ClaimedEvent): Promise<RetrySchedule> => {
      await Promise.resolve();
      return schedules[entry.id] ?? fixedSchedule({ delayMs: 0, maxAttempts: 1 });
    };
    expect(await relayOf(store, sink, { schedule }).runOnce()).toMatchObject({ undelivered: 1, retried: 1 });
    expect(store.claims[0]).not.toHaveProperty('maxAttempts');
    expect(store.settles[0]?.settlements.map((settlement) => settlement.next)).toEqual(['undelivered', 'retry']);
    expect(store.settles[0]?.settlements[1]).toMatchObject({ nextAttemptAt: new Date(start + 5000) });
  });

  it('retries an entry whose schedule cannot be found later, without publishing it, and logs why', async () => {
    const store = new RecordingStore();
    store.batches = [[claimed('lost'), claimed('fine')]];
    const sink = new ScriptedSink();
    const logger = recordingLogger();
    const schedule = (entry: ClaimedEvent): RetrySchedule => {
      if (entry.id === 'lost') throw new Error('the subscription store is down');
      return fixedSchedule({ delayMs: 0, maxAttempts: 1 });
    };
    expect(await relayOf(store, sink, { schedule, logger, leaseMs: 30_000 }).runOnce()).toMatchObject({
      delivered: 1,
      retried: 1,
    });
    expect(sink.published).toEqual(['event-fine']);
    expect(store.settles[0]?.settlements[0]).toMatchObject({
      next: 'retry',
      nextAttemptAt: new Date(start + 30_000),
      attempt: {
        outcome: 'failed',
        error: { code: 'SCHEDULE_FAILED', message: expect.stringContaining('subscription store is down') as string },
      },
    });
    expect(logger.lines).toContainEqual({
      level: 'error',
      message: 'outbox relay could not find the retry schedule of an entry',
    });
  });

  it('settles an entry beyond its budget undelivered without publishing it', async () => {
    const store = new RecordingStore();
    store.batches = [[claimed('spent', 4)]];
    const sink = new ScriptedSink();
    expect(await relayOf(store, sink).runOnce()).toMatchObject({ claimed: 1, undelivered: 1 });
    expect(sink.published).toEqual([]);
    expect(store.settles[0]?.settlements[0]).toMatchObject({
      next: 'undelivered',
      attempt: { attempt: 4, error: { code: 'ATTEMPTS_EXHAUSTED' } },
    });
  });

  it('counts a lost claim as unrecorded and warns', async () => {
    const store = new RecordingStore();
    store.batches = [[claimed('kept'), claimed('lost')]];
    store.flags = (settlement) => settlement.claimed.id !== 'lost';
    const logger = recordingLogger();
    expect(await relayOf(store, new ScriptedSink(), { logger }).runOnce()).toMatchObject({
      delivered: 1,
      unrecorded: 1,
    });
    expect(logger.lines).toContainEqual({
      level: 'warn',
      message: 'outbox claim lost before its outcome was recorded',
    });
  });

  it('counts a batch the store could not settle as unrecorded, and logs the error', async () => {
    const store = new RecordingStore();
    store.batches = [[claimed('a'), claimed('b')]];
    store.settleError = new Error('connection reset');
    const logger = recordingLogger();
    expect(await relayOf(store, new ScriptedSink(), { logger }).runOnce()).toMatchObject({ claimed: 2, unrecorded: 2 });
    expect(logger.lines).toContainEqual({
      level: 'error',
      message: 'outbox relay could not record the outcomes of a batch',
    });
  });

  it('reports every settled attempt to onAttempt, and a throwing hook breaks nothing', async () => {
    const store = new RecordingStore();
    store.batches = [[claimed('a'), claimed('b')], [claimed('c')]];
    store.flags = (settlement) => settlement.claimed.id !== 'b';
    const sink = new ScriptedSink();
    sink.outcome = (published) =>
      published.id === 'event-a' ? Promise.resolve(undefined) : Promise.reject(new Error('down'));
    const reports: AttemptReport[] = [];
    const logger = recordingLogger();
    const onAttempt = (report: AttemptReport): Promise<void> => {
      expect(store.settles).toHaveLength(reports.length < 2 ? 1 : 2); // after the settlement
      reports.push(report);
      return Promise.reject(new Error('hook failed'));
    };
    const relay = relayOf(store, sink, { onAttempt, logger });
    await relay.runOnce();
    await relay.runOnce();
    expect(reports.map((report) => [report.claimed.id, report.next, report.recorded, report.nextAttemptAt])).toEqual([
      ['a', 'delivered', true, undefined],
      ['b', 'retry', false, new Date(start + 1000)],
      ['c', 'retry', true, new Date(start + 1000)],
    ]);
    expect(reports[1]?.attempt).toMatchObject({ outcome: 'failed', error: { message: 'down' } });
    expect(logger.lines.filter((line) => line.message === 'outbox relay onAttempt hook failed')).toHaveLength(3);
  });

  it('sleeps on the store’s wake-up when idle, claims again at once after a full batch, and stop() ends the sleep', async () => {
    const store = new RecordingStore();
    store.batches = [[claimed('a'), claimed('b')], [claimed('c')]];
    const relay = relayOf(store, new ScriptedSink(), { batchSize: 2, pollIntervalMs: 600_000 });
    relay.start();
    await expect.poll(() => store.waits).toEqual([600_000]);
    // The full first batch was followed by a claim without a wait; the second was not full.
    expect(store.claims).toHaveLength(2);
    expect(store.settles).toHaveLength(2);
    await relay.stop();
    expect(relay.running).toBe(false);
    expect(store.claims).toHaveLength(2);
  });

  it('waits out store failures on a timer rather than on the failing store, and logs them', async () => {
    const store = new RecordingStore();
    store.claimError = new Error('connection refused');
    const logger = recordingLogger();
    const relay = relayOf(store, new ScriptedSink(), { pollIntervalMs: 5, logger });
    relay.start();
    await expect.poll(() => store.claims.length).toBeGreaterThanOrEqual(3);
    await relay.stop();
    expect(store.waits).toEqual([]);
    expect(logger.lines.every((line) => line.message === 'outbox relay could not claim events')).toBe(true);
  });

  it('refuses options it cannot use', () => {
    const store = new RecordingStore() as unknown as OutboxStore;
    const sink = new ScriptedSink();
    expect(() => new OutboxRelay({ store, sink, schedule: { schedule: 'sometimes' } })).toThrow(
      expect.objectContaining({ name: 'OutboxError', code: 'INVALID_OPTIONS' }),
    );
    expect(() => new OutboxRelay({ store, sink, batchSize: 0 })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS' }),
    );
  });
});
