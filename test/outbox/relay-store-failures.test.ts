import { afterEach, describe, expect, it, vi } from 'vitest';
import { OutboxError, OutboxRelay, type OutboxLogger } from '@events-protocol/outbox';
import { SqliteOutboxStore } from '@events-protocol/outbox/sqlite';
import type { Sink } from '@events-protocol/publish';

afterEach(() => {
  vi.useRealTimers();
});

const sink: Sink = { name: 'none', publish: () => Promise.resolve(), healthCheck: () => Promise.resolve(true) };

describe('a relay whose store keeps failing', () => {
  it('logs each failure, backs off up to 10 s between claims, keeps running, and resumes at once', async () => {
    vi.useFakeTimers();
    const store = new SqliteOutboxStore({ filename: ':memory:' });
    let down = true;
    let claims = 0;
    const claim = store.claim.bind(store);
    store.claim = (options) => {
      claims++;
      if (!down) return claim(options);
      return Promise.reject(new OutboxError('STORE_UNAVAILABLE', 'the database restarts'));
    };
    const logged: object[] = [];
    const logger: OutboxLogger = {
      debug: () => undefined,
      warn: () => undefined,
      error: (entry) => logged.push(entry),
    };
    const relay = new OutboxRelay({ store, sink, logger, pollIntervalMs: 100 });
    relay.start();

    // A minute of outage: polling every 100 ms would claim 600 times; backing off claims a handful.
    await vi.advanceTimersByTimeAsync(60_000);
    expect(relay.running).toBe(true);
    expect(claims).toBeGreaterThan(5);
    expect(claims).toBeLessThan(20);
    expect(logged).toHaveLength(claims);
    expect(logged.at(-1)).toMatchObject({ err: { code: 'STORE_UNAVAILABLE' }, failures: claims });

    // The store is back: the next claim (within the 10 s cap) succeeds, and polling is normal again.
    const failed = claims;
    down = false;
    await vi.advanceTimersByTimeAsync(10_000);
    const afterRecovery = claims;
    await vi.advanceTimersByTimeAsync(1000);
    expect(claims - afterRecovery).toBeGreaterThanOrEqual(9);
    expect(logged).toHaveLength(failed);
    await relay.stop();
    await store.close();
  });
});
