import { EventBuilder, EventError, EventErrorType } from '@events-protocol/core';
import { describe, expect, it } from 'vitest';
import { answerForThrown } from './answer-for-thrown.js';
import type { EventLogger } from './event-logger.js';

function errorLog(): EventLogger & { errors: unknown[] } {
  const errors: unknown[] = [];
  const discard = () => undefined;
  return {
    errors,
    isLevelEnabled: () => true,
    debug: discard,
    info: discard,
    warn: discard,
    error: (object: unknown) => errors.push(object),
  };
}

const event = EventBuilder.request({ name: 'pay', payload: null });

describe('answerForThrown', () => {
  it('answers an EventError with its type, code and parameters, and logs nothing', () => {
    const logger = errorLog();
    const thrown = new EventError('insufficientFunds', { code: 'BALANCE_LOW', parameters: { balance: 3 } });
    expect(answerForThrown(event, thrown, logger)).toMatchObject({
      name: 'pay:insufficientFunds',
      id: event.id,
      payload: { code: 'BALANCE_LOW', parameters: { balance: 3 } },
    });
    expect(logger.errors).toEqual([]);
  });

  it.each([
    ['an Error', new Error('secret detail')],
    ['a string', 'secret detail'],
    ['undefined', undefined],
  ])('answers %s as UNHANDLED_ERROR, keeping the detail for the log', (_label, thrown) => {
    const logger = errorLog();
    const answer = answerForThrown(event, thrown, logger);
    expect(answer).toMatchObject({
      name: `pay:${EventErrorType.Error}`,
      payload: { code: 'UNHANDLED_ERROR', parameters: {} },
    });
    expect(JSON.stringify(answer)).not.toContain('secret detail');
    expect(logger.errors).toMatchObject([{ err: thrown, event: 'pay', flowId: event.flowId }]);
  });
});
