import { EventBuilder } from '@events-protocol/core';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { answerInTime } from './answer-in-time.js';
import { silentLogger } from './event-logger.js';
import { EventRun } from './event-run.js';
import { handlerRegistration } from './handler-registration.js';

const event = EventBuilder.request({ name: 'work', payload: null });
const registration = handlerRegistration({ name: 'work', response: z.string(), handle: () => null });
const runFor = (timeoutMs: number, callerDeadline?: number) =>
  new EventRun(silentLogger, registration, timeoutMs, Date.now(), callerDeadline);
const never = new Promise<never>(() => undefined);

describe('answerInTime', () => {
  it('answers a result that settles in time, through the response schema', async () => {
    expect(await answerInTime(runFor(5000), event, Promise.resolve('done'))).toMatchObject({
      name: 'work:response',
      payload: 'done',
    });
    expect(await answerInTime(runFor(5000), event, Promise.resolve(42))).toMatchObject({
      name: 'work:error',
      payload: { code: 'INVALID_RESPONSE' },
    });
  });

  it('answers HANDLER_TIMEOUT at the timeout and aborts the run', async () => {
    const run = runFor(20);
    expect(await answerInTime(run, event, never)).toMatchObject({
      name: 'work:error',
      payload: { code: 'HANDLER_TIMEOUT', parameters: { timeoutMs: 20 } },
    });
    expect(run.signal.aborted).toBe(true);
    expect((run.signal.reason as Error).message).toBe('handler timed out after 20 ms');
  });

  it("answers DEADLINE_EXCEEDED at the caller's deadline when it comes first", async () => {
    const run = runFor(5000, Date.now() + 20);
    expect(await answerInTime(run, event, never)).toMatchObject({
      payload: { code: 'DEADLINE_EXCEEDED', parameters: {} },
    });
    expect((run.signal.reason as Error).message).toBe('deadline exceeded');
  });

  it('ignores a result that settles after the deadline', async () => {
    const run = runFor(10);
    const late = new Promise((resolve) => setTimeout(() => resolve('late'), 60));
    expect((await answerInTime(run, event, late)).payload).toMatchObject({ code: 'HANDLER_TIMEOUT' });
  });

  it('rejects with what the handler rejected with, as an Error', async () => {
    const failure = new Error('boom');
    await expect(answerInTime(runFor(5000), event, Promise.reject(failure))).rejects.toBe(failure);
    // A handler may reject with anything; the normaliser needs an Error.
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
    const wrapped = await answerInTime(runFor(5000), event, Promise.reject('a string')).catch(
      (error: unknown) => error,
    );
    expect(wrapped).toBeInstanceOf(Error);
    expect(wrapped).toMatchObject({ message: 'a string', cause: 'a string' });
  });
});
