import { describe, expect, it } from 'vitest';
import { silentLogger } from './event-logger.js';
import { EventRun } from './event-run.js';
import { handlerRegistration } from './handler-registration.js';

const registration = handlerRegistration({ name: 'work', handle: () => null });
const startedAt = 1_000_000;

describe('EventRun', () => {
  it("is due at the handler timeout without a caller's deadline", () => {
    const run = new EventRun(silentLogger, registration, 500, startedAt, undefined);
    expect([run.deadline, run.cause, run.timeoutMs]).toEqual([startedAt + 500, 'timeout', 500]);
  });

  it("is due at the caller's deadline when it comes first", () => {
    const run = new EventRun(silentLogger, registration, 500, startedAt, startedAt + 200);
    expect([run.deadline, run.cause]).toEqual([startedAt + 200, 'deadline']);
  });

  it("keeps the timeout as the cause when the caller's deadline is later or the same", () => {
    expect(new EventRun(silentLogger, registration, 500, startedAt, startedAt + 900)).toMatchObject({
      deadline: startedAt + 500,
      cause: 'timeout',
    });
    expect(new EventRun(silentLogger, registration, 500, startedAt, startedAt + 500)).toMatchObject({
      deadline: startedAt + 500,
      cause: 'timeout',
    });
  });

  it('makes one signal on first use and aborts it with the first reason', () => {
    const run = new EventRun(silentLogger, registration, 500, startedAt, undefined);
    const signal = run.signal;
    expect(run.signal).toBe(signal);
    expect(signal.aborted).toBe(false);
    const first = new Error('first');
    run.abort(first);
    run.abort(new Error('second'));
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe(first);
  });

  it('hands out an aborted signal when asked for one after the run ended', () => {
    const run = new EventRun(silentLogger, registration, 500, startedAt, undefined);
    const reason = new Error('timed out');
    run.abort(reason);
    expect(run.signal.aborted).toBe(true);
    expect(run.signal.reason).toBe(reason);
  });
});
