import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { exponentialSchedule, fixedSchedule, linearSchedule, randomSchedule } from './retry-schedule.js';
import { isRetryScheduleError } from './retry-schedule-error.js';
import { RetryScheduleRegistry } from './retry-schedule-registry.js';

const delays = (schedule: { delayAfter(n: number): number | undefined }, count: number) =>
  Array.from({ length: count }, (_, index) => schedule.delayAfter(index + 1));

describe('retry schedules', () => {
  it('fixed waits the same before every retry, then stops', () => {
    expect(delays(fixedSchedule({ delayMs: 100, maxAttempts: 3 }), 3)).toEqual([100, 100, undefined]);
  });

  it('linear grows by its increment up to its cap', () => {
    expect(
      delays(linearSchedule({ initialDelayMs: 100, incrementMs: 50, maxDelayMs: 180, maxAttempts: 5 }), 5),
    ).toEqual([100, 150, 180, 180, undefined]);
  });

  it('exponential doubles up to its cap, with jitter inside the delay', () => {
    expect(delays(exponentialSchedule({ baseMs: 100, capMs: 500, jitter: 'none', maxAttempts: 6 }), 6)).toEqual([
      100,
      200,
      400,
      500,
      500,
      undefined,
    ]);
    expect(
      delays(
        exponentialSchedule({ baseMs: 100, capMs: 500, maxAttempts: 4 }, () => 0.5),
        4,
      ),
    ).toEqual([50, 100, 200, undefined]);
    expect(
      delays(
        exponentialSchedule({ baseMs: 100, capMs: 500, jitter: 'equal', maxAttempts: 2 }, () => 0),
        1,
      ),
    ).toEqual([50]);
  });

  it('random stays within its range', () => {
    expect(
      delays(
        randomSchedule({ minMs: 10, maxMs: 20, maxAttempts: 3 }, () => 0.999),
        3,
      ),
    ).toEqual([20, 20, undefined]);
    expect(randomSchedule({ minMs: 10, maxMs: 20, maxAttempts: 2 }, () => 0).delayAfter(1)).toBe(10);
  });

  it('rejects options that make no sense', () => {
    expect(() => fixedSchedule({ delayMs: -1, maxAttempts: 3 })).toThrow();
    expect(() => randomSchedule({ minMs: 30, maxMs: 20, maxAttempts: 3 })).toThrow(/minMs/);
  });
});

describe('RetryScheduleRegistry', () => {
  it('creates built-in schedules from stored definitions', () => {
    const registry = new RetryScheduleRegistry();
    const schedule = registry.create({ schedule: 'fixed', options: { delayMs: 5, maxAttempts: 2 } });
    expect([schedule.maxAttempts, schedule.delayAfter(1), schedule.delayAfter(2)]).toEqual([2, 5, undefined]);
  });

  it('rejects unknown names and bad options with a clear, typed error', () => {
    const registry = new RetryScheduleRegistry();
    expect(() => registry.validate({ schedule: 'nope' })).toThrow(/unknown retry schedule 'nope'/);
    try {
      registry.validate({ schedule: 'exponential', options: { baseMs: 'soon' } });
      expect.unreachable();
    } catch (error) {
      expect(isRetryScheduleError(error) && error.code).toBe('INVALID_SCHEDULE_OPTIONS');
      expect(String(error)).toMatch(/baseMs/);
    }
  });

  it('accepts schedules users register with their own options schema', () => {
    const registry = new RetryScheduleRegistry().register('twice', z.object({ delayMs: z.number() }), (options) =>
      fixedSchedule({ delayMs: options.delayMs, maxAttempts: 2 }),
    );
    expect(registry.create({ schedule: 'twice', options: { delayMs: 7 } }).delayAfter(1)).toBe(7);
    expect(() => registry.register('twice', z.object({}), () => fixedSchedule({ delayMs: 1, maxAttempts: 1 }))).toThrow(
      /already registered/,
    );
  });
});
