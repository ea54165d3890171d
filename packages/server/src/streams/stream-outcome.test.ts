import { EventBuilder, fixedSchedule, noRetry, type RequestEvent } from '@events-protocol/core';
import { describe, expect, it } from 'vitest';
import { streamOutcomeOf } from './stream-outcome.js';

const request: RequestEvent = {
  name: 'order:place',
  version: 1,
  id: 'e-1',
  flowId: 'f-1',
  payload: {},
  identity: {},
  auth: {},
  metadata: {},
};

function answer(name: string, code?: string): Parameters<typeof streamOutcomeOf>[0] {
  return { ...request, name, payload: code === undefined ? {} : { code, parameters: {} } };
}

const threeAttempts = fixedSchedule({ delayMs: 250, maxAttempts: 3 });

describe('streamOutcomeOf', () => {
  it('acknowledges a success and a redirect', () => {
    expect(streamOutcomeOf(answer('order:place:response'), 1, threeAttempts)).toEqual({ action: 'ack' });
    expect(streamOutcomeOf(answer('order:place:redirect'), 1, threeAttempts)).toEqual({ action: 'ack' });
  });

  it('retries <name>:error on the schedule until it allows no more', () => {
    const failed = answer('order:place:error', 'UNHANDLED_ERROR');
    expect(streamOutcomeOf(failed, 1, threeAttempts)).toEqual({ action: 'retry', delayMs: 250 });
    expect(streamOutcomeOf(failed, 2, threeAttempts)).toEqual({ action: 'retry', delayMs: 250 });
    expect(streamOutcomeOf(failed, 3, threeAttempts)).toEqual({ action: 'deadLetter', reason: 'exhausted' });
    expect(streamOutcomeOf(answer('order:place:error', 'HANDLER_TIMEOUT'), 1, noRetry)).toEqual({
      action: 'deadLetter',
      reason: 'exhausted',
    });
  });

  it('dead-letters typed errors and a passed deadline at once', () => {
    const typed = [
      answer('order:place:badRequest'),
      answer('order:place:notFound'),
      answer('order:place:insufficientFunds'),
      EventBuilder.eventNotFound(request),
      EventBuilder.badProtocol({}),
      answer('order:place:error', 'DEADLINE_EXCEEDED'),
    ];
    for (const event of typed) {
      expect(streamOutcomeOf(event, 1, threeAttempts), event.name).toEqual({
        action: 'deadLetter',
        reason: 'rejected',
      });
    }
  });
});
