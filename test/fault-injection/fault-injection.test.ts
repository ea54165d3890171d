import { EventClient, type SendResult } from '@events-protocol/client';
import { fixedSchedule } from '@events-protocol/core';
import {
  FaultPlan,
  faultyListener,
  faultySink,
  faultyTransport,
  withFaults,
  type FaultPlanOptions,
  type TransportLike,
} from '@events-protocol/fault-injection';
import { toNodeListener } from '@events-protocol/server';
import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { exampleProcessor } from '../support/example-service.js';
import { listen } from '../support/http-server.js';

describe('FaultPlan', () => {
  it('replays the same faults for the same seed, at the planned rates', () => {
    const options: FaultPlanOptions = {
      seed: 1234,
      latency: { rate: 0.5, minMs: 1, maxMs: 9 },
      reset: { rate: 0.1 },
      errorEvent: { rate: 0.2 },
    };
    const [first, second] = [new FaultPlan(options), new FaultPlan(options)];
    const draws = Array.from({ length: 10_000 }, () => first.next());
    expect(Array.from({ length: 10_000 }, () => second.next())).toEqual(draws);
    const { reset, errorEvent, latency, none } = first.injected;
    expect(reset / 10_000).toBeCloseTo(0.1, 1);
    expect(errorEvent / 10_000).toBeCloseTo(0.2, 1);
    expect(latency / 10_000).toBeCloseTo(0.5, 1);
    expect(reset + errorEvent + none).toBe(10_000);
    expect(draws.every((draw) => draw.latencyMs === 0 || (draw.latencyMs >= 1 && draw.latencyMs <= 9))).toBe(true);
    expect(first.describe()).toContain('seed 1234');
  });

  it('refuses rates that are not probabilities', () => {
    expect(() => new FaultPlan({ seed: 1, reset: { rate: 1.5 } })).toThrow(/between 0 and 1/);
    expect(() => new FaultPlan({ seed: 1, reset: { rate: 0.6 }, failure: { rate: 0.6 } })).toThrow(/sum to at most 1/);
    expect(() => new FaultPlan({ seed: 1, latency: { rate: 1, minMs: 10, maxMs: 5 } })).toThrow(/minMs <= maxMs/);
  });
});

describe('faults over real HTTP', () => {
  async function outcomeWith(options: Omit<FaultPlanOptions, 'seed'>): Promise<SendResult> {
    const plan = new FaultPlan({ seed: 99, ...options });
    await using server = await listen(createServer(faultyListener(toNodeListener(exampleProcessor()), plan)));
    const client = new EventClient({ url: `${server.origin}/events`, timeout: 300 });
    try {
      return await client.sendEvent({ name: 'echo', payload: 'hi' });
    } finally {
      await client.close();
    }
  }

  it('injects each fault a client must survive', async () => {
    expect(await outcomeWith({})).toMatchObject({ kind: 'success', event: { payload: 'hi' } });
    expect(await outcomeWith({ reset: { rate: 1 } })).toMatchObject({
      kind: 'failedDependency',
      reason: 'unreachable',
    });
    expect(await outcomeWith({ failure: { rate: 1 } })).toMatchObject({ kind: 'failedDependency', status: 503 });
    expect(await outcomeWith({ timeout: { rate: 1 } })).toMatchObject({ kind: 'timeout' });
    expect(await outcomeWith({ errorEvent: { rate: 1, errorType: 'unavailable', code: 'MAINTENANCE' } })).toMatchObject(
      {
        kind: 'error',
        errorType: 'unavailable',
        event: { name: 'echo:unavailable', payload: { code: 'MAINTENANCE', parameters: { injected: true } } },
      },
    );
    const slow = performance.now();
    expect(await outcomeWith({ latency: { rate: 1, minMs: 60, maxMs: 60 } })).toMatchObject({ kind: 'success' });
    expect(performance.now() - slow).toBeGreaterThanOrEqual(55);
  });

  it("lets users prove their retry logic: resets at 30 % are all absorbed by the client's retries", async () => {
    const plan = new FaultPlan({ seed: 2026, reset: { rate: 0.3 } });
    await using server = await listen(createServer(faultyListener(toNodeListener(exampleProcessor()), plan)));
    const client = new EventClient({
      url: `${server.origin}/events`,
      retry: fixedSchedule({ delayMs: 1, maxAttempts: 6 }),
    });
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, index) => client.sendEvent({ name: 'echo', payload: index })),
    );
    expect(
      results.filter((result) => result.kind !== 'success'),
      plan.describe(),
    ).toEqual([]);
    expect(plan.injected.reset).toBeGreaterThan(10);
    await client.close();
  });
});

describe('faults in process, in transports and in sinks', () => {
  it('wraps a processor for in-process clients', async () => {
    const plan = new FaultPlan({ seed: 5, reset: { rate: 0.5 }, errorEvent: { rate: 0.5 } });
    const client = EventClient.inProcess(withFaults(exampleProcessor(), plan));
    const kinds = new Set<string>();
    for (let index = 0; index < 20; index++) {
      const result = await client.sendEvent({ name: 'echo', payload: index });
      kinds.add(result.kind === 'failedDependency' ? result.reason : result.kind);
    }
    expect(kinds).toEqual(new Set(['unreachable', 'error']));
  });

  it('wraps a client transport', async () => {
    const answered: string[] = [];
    const real: TransportLike = {
      send: (request) => {
        answered.push(request.body);
        const event = JSON.parse(request.body) as { name: string; id: string; flowId: string };
        return Promise.resolve({
          status: 200,
          body: JSON.stringify({ ...event, name: `${event.name}:response`, payload: 1 }),
        });
      },
      close: () => Promise.resolve(),
    };
    const failing = new EventClient({
      transport: faultyTransport(real, new FaultPlan({ seed: 3, failure: { rate: 1 } })),
    });
    expect(await failing.sendEvent({ name: 'x' })).toMatchObject({ kind: 'failedDependency', status: 503 });
    const timingOut = new EventClient({
      transport: faultyTransport(real, new FaultPlan({ seed: 3, timeout: { rate: 1 } })),
      timeout: 50,
    });
    expect(await timingOut.sendEvent({ name: 'x' })).toMatchObject({ kind: 'timeout' });
    expect(answered).toHaveLength(0);
  });

  it('wraps a sink: injected failures reject, and nothing reaches the target for them', async () => {
    const delivered: string[] = [];
    const sink = {
      name: 'memory',
      publish: (event: { id: string }) => {
        delivered.push(event.id);
        return Promise.resolve();
      },
      healthCheck: () => Promise.resolve(true),
    };
    const plan = new FaultPlan({ seed: 11, failure: { rate: 0.5 } });
    const faulty = faultySink(sink, plan);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 40 }, (_, index) => faulty.publish({ id: `e-${index}` })),
    );
    const rejected = outcomes.filter((outcome) => outcome.status === 'rejected');
    expect(rejected.length).toBe(plan.injected.failure);
    expect(delivered).toHaveLength(40 - rejected.length);
    expect(faulty.name).toBe('faulty(memory)');
    expect(await faulty.healthCheck()).toBe(true);
  });
});
