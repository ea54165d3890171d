import { EventBuilder, EventErrorType, type ResponseEvent, type StandardSchemaV1 } from '@events-protocol/core';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { silentLogger } from './event-logger.js';
import {
  answerForResult,
  invalidPayloadAnswer,
  isResponseEventFor,
  outOfTimeAnswer,
  withDeprecationNotice,
} from './handler-answers.js';
import { handlerRegistration } from './handler-registration.js';

/** A zod schema validates synchronously: so is the answer. */
function answered(...args: Parameters<typeof answerForResult>): ResponseEvent {
  const answer = answerForResult(...args);
  if (answer instanceof Promise) throw new Error('expected a synchronous answer');
  return answer;
}

const event = EventBuilder.request({ name: 'user:get', payload: null });
const untyped = handlerRegistration({ name: 'user:get', handle: () => null });
const typed = handlerRegistration({
  name: 'user:get',
  response: z.object({ name: z.string() }),
  handle: () => null,
});

describe('isResponseEventFor', () => {
  it('recognises answers built for this request', () => {
    expect(isResponseEventFor(event, EventBuilder.responseFor(event, 1))).toBe(true);
    expect(isResponseEventFor(event, EventBuilder.errorFor(event, EventErrorType.Forbidden, { code: 'NO' }))).toBe(
      true,
    );
    expect(isResponseEventFor(event, EventBuilder.eventNotFound(event))).toBe(true);
  });

  it('takes anything else for a payload', () => {
    const other = EventBuilder.request({ name: 'user:get', payload: null });
    expect(isResponseEventFor(event, EventBuilder.responseFor(other, 1))).toBe(false);
    expect(isResponseEventFor(event, { ...EventBuilder.responseFor(event, 1), name: 'user:list:response' })).toBe(
      false,
    );
    const { metadata: _metadata, ...withoutMetadata } = EventBuilder.responseFor(event, 1);
    expect(isResponseEventFor(event, withoutMetadata)).toBe(false);
    expect([null, 'text', 7, { id: event.id }].map((value) => isResponseEventFor(event, value))).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });
});

describe('answerForResult', () => {
  it('answers a payload as <name>:response, and nothing as null', () => {
    expect(answered(untyped, event, { a: 1 }, silentLogger)).toMatchObject({
      name: 'user:get:response',
      payload: { a: 1 },
    });
    expect(answered(untyped, event, undefined, silentLogger).payload).toBeNull();
  });

  it('passes its response schema over success payloads only', () => {
    expect(answered(typed, event, { name: 'Ada', extra: 1 }, silentLogger).payload).toEqual({ name: 'Ada' });
    expect(answered(typed, event, { name: 7 }, silentLogger).payload).toMatchObject({
      code: 'INVALID_RESPONSE',
    });
    const built = EventBuilder.responseFor(event, { name: 'Ada', extra: 1 });
    expect(answered(typed, event, built, silentLogger).payload).toEqual({ name: 'Ada' });
    const forbidden = EventBuilder.errorFor(event, EventErrorType.Forbidden, { code: 'NO' });
    expect(answered(typed, event, forbidden, silentLogger)).toBe(forbidden);
  });
});

describe('the fixed answers', () => {
  it('lists the payload issues of a badRequest with their paths', () => {
    const issues = [{ path: ['user', 'id'], message: 'expected string', code: 'invalid_type' }];
    expect(invalidPayloadAnswer(event, issues)).toMatchObject({
      name: 'user:get:badRequest',
      payload: { code: 'INVALID_PAYLOAD', parameters: { issues: [{ path: ['user', 'id'], code: 'invalid_type' }] } },
    });
  });

  it('names the limit that ended a run', () => {
    expect(outOfTimeAnswer(event, 'timeout', 30).payload).toEqual({
      code: 'HANDLER_TIMEOUT',
      parameters: { timeoutMs: 30 },
    });
    expect(outOfTimeAnswer(event, 'deadline', 30).payload).toEqual({ code: 'DEADLINE_EXCEEDED', parameters: {} });
  });

  it('adds a deprecation notice beside the metadata already there', () => {
    const answer = { ...EventBuilder.responseFor(event, 1), metadata: { origin: 'users' } };
    expect(withDeprecationNotice(answer, { note: 'use v2' }).metadata).toEqual({
      origin: 'users',
      deprecation: { deprecated: true, note: 'use v2' },
    });
    expect(answer.metadata).toEqual({ origin: 'users' });
  });
});

describe('answers checked by a Standard Schema that is not zod', () => {
  it('answers after an asynchronous response schema settles', async () => {
    const upperCase: StandardSchemaV1<string> = {
      '~standard': {
        version: 1,
        vendor: 'hand-written',
        validate: async (value: unknown) =>
          typeof value === 'string' ? { value: value.toUpperCase() } : { issues: [{ message: 'a string' }] },
      },
    };
    const later = handlerRegistration({ name: 'user:get', response: upperCase, handle: () => null });
    const answer = answerForResult(later, event, 'ada', silentLogger);
    expect(answer).toBeInstanceOf(Promise);
    expect(await answer).toMatchObject({ name: 'user:get:response', payload: 'ADA' });
    expect(await answerForResult(later, event, 7, silentLogger)).toMatchObject({
      name: 'user:get:error',
      payload: { code: 'INVALID_RESPONSE' },
    });
  });
});
