import { defineEvent, EventBuilder, EventError, EventErrorType } from '@events-protocol/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
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

const getUser = defineEvent({
  name: 'user:get',
  payload: z.object({ userId: z.string() }),
  response: z.null(),
  errors: {
    notFound: z.object({ userId: z.string() }),
    quotaExceeded: z.object({ limit: z.number(), resetAt: z.string().transform((text) => new Date(text)) }),
  },
});
const userEvent = EventBuilder.request({ name: 'user:get', payload: { userId: '42' } });

describe('answerForThrown with declared errors', () => {
  it('answers a declared error with its parameters as the schema parses them, and logs nothing', () => {
    const logger = errorLog();
    const thrown = getUser.error('quotaExceeded', { limit: 5, resetAt: '2027-01-01T00:00:00Z', extra: 1 } as never);
    const answer = answerForThrown(userEvent, thrown, logger, getUser.errors);
    expect(answer).toMatchObject({
      name: 'user:get:quotaExceeded',
      payload: { code: 'QUOTA_EXCEEDED', parameters: { limit: 5, resetAt: new Date('2027-01-01T00:00:00Z') } },
    });
    expect(answer.payload).not.toHaveProperty('parameters.extra');
    expect(logger.errors).toEqual([]);
  });

  it('judges a hand-made EventError of a declared type by the same schema', () => {
    const thrown = new EventError('notFound', { code: 'USER_NOT_FOUND', parameters: { userId: '42' } });
    expect(answerForThrown(userEvent, thrown, errorLog(), getUser.errors)).toMatchObject({
      name: 'user:get:notFound',
      payload: { code: 'USER_NOT_FOUND', parameters: { userId: '42' } },
    });
  });

  it.each([
    ['a protocol type', new EventError(EventErrorType.Forbidden, { code: 'NO', parameters: { who: 'x' } })],
    ['an own suffix', new EventError('paymentRequired', { code: 'PAY' })],
    ['a name on the prototype', new EventError('toString', { code: 'X' })],
  ])('answers %s the contract does not declare as UNDECLARED_ERROR, logging the type it tried', (_label, thrown) => {
    const logger = errorLog();
    const answer = answerForThrown(userEvent, thrown, logger, getUser.errors);
    expect(answer).toMatchObject({ name: 'user:get:error', payload: { code: 'UNDECLARED_ERROR', parameters: {} } });
    expect(logger.errors).toMatchObject([
      { err: thrown, event: 'user:get', flowId: userEvent.flowId, errorType: thrown.errorType, code: thrown.code },
    ]);
  });

  it('names the contract that made an undeclared error in the log', () => {
    const other = defineEvent({
      name: 'order:get',
      payload: z.null(),
      response: z.null(),
      errors: { gone: z.object({}) },
    });
    const logger = errorLog();
    answerForThrown(userEvent, other.error('gone', {}), logger, getUser.errors);
    expect(logger.errors).toMatchObject([{ errorType: 'gone', code: 'GONE', madeBy: 'order:get v1' }]);
  });

  it('answers a declared error whose parameters fail their schema as INVALID_RESPONSE, sending none', () => {
    const logger = errorLog();
    const thrown = getUser.error('notFound', { userId: 42 } as never);
    const answer = answerForThrown(userEvent, thrown, logger, getUser.errors);
    expect(answer).toMatchObject({ name: 'user:get:error', payload: { code: 'INVALID_RESPONSE', parameters: {} } });
    expect(JSON.stringify(answer.payload)).not.toContain('userId');
    expect(logger.errors).toMatchObject([{ errorType: 'notFound', madeBy: 'user:get v1', flowId: userEvent.flowId }]);
  });

  it('answers a schema that does not produce an object as INVALID_RESPONSE', () => {
    const odd = defineEvent({ name: 'user:get', payload: z.null(), response: z.null(), errors: { gone: z.string() } });
    const answer = answerForThrown(userEvent, odd.error('gone', 'text'), errorLog(), odd.errors);
    expect(answer.payload).toMatchObject({ code: 'INVALID_RESPONSE' });
  });

  it('answers every EventError as thrown without declared errors, and non-EventErrors as before', () => {
    const thrown = new EventError(EventErrorType.Forbidden, { code: 'NO' });
    expect(answerForThrown(userEvent, thrown, errorLog(), {}).name).toBe('user:get:forbidden');
    expect(answerForThrown(userEvent, thrown, errorLog()).name).toBe('user:get:forbidden');
    expect(answerForThrown(userEvent, new Error('x'), errorLog(), getUser.errors).payload).toMatchObject({
      code: 'UNHANDLED_ERROR',
    });
  });
});
