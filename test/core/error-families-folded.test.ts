import { TransportTimeoutError } from '@events-protocol/client';
import { EgressErrorCode, isEgressError } from '@events-protocol/client/egress';
import {
  JsonDepthError,
  JsonNumberError,
  JsonValueError,
  isJsonReadError,
  isJsonValueError,
  readJson,
  writeStrictJson,
} from '@events-protocol/core';
import { PublishAssertionError, RecordingSink, isPublishError } from '@events-protocol/publish';
import { TopicsError, isTopicsError } from '@events-protocol/topics';
import { describe, expect, it } from 'vitest';

/** What `run` threw, or a failure when it threw nothing. */
function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected it to throw');
}

describe('error classes folded into families', () => {
  it("readJson's refusals are RangeErrors, as JSON.parse's are, and JsonReadErrors with a code", () => {
    const deep = thrownBy(() => readJson('[[[[1]]]]', { maxDepth: 2 }));
    expect(deep).toBeInstanceOf(RangeError);
    expect(deep).toBeInstanceOf(JsonDepthError);
    expect(isJsonReadError(deep)).toBe(true);
    expect(deep).toMatchObject({ name: 'JsonDepthError', code: 'JSON_TOO_DEEP' });

    const huge = thrownBy(() => readJson('{"n": 1e400}'));
    expect(huge).toBeInstanceOf(RangeError);
    expect(huge).toBeInstanceOf(JsonNumberError);
    expect(isJsonReadError(huge)).toBe(true);
    expect(huge).toMatchObject({ name: 'JsonNumberError', code: 'JSON_NUMBER_OUT_OF_RANGE' });

    const notJson = thrownBy(() => readJson('{'));
    expect(notJson).toBeInstanceOf(SyntaxError);
    expect(isJsonReadError(notJson)).toBe(false);
  });

  it("writeStrictJson's refusal is a TypeError, as JSON.stringify's are, and a JsonValueError with a code", () => {
    const refused = thrownBy(() => writeStrictJson({ payload: { items: [1, 2, () => 3] } }));
    expect(refused).toBeInstanceOf(TypeError);
    expect(refused).toBeInstanceOf(JsonValueError);
    expect(isJsonValueError(refused)).toBe(true);
    expect(isJsonReadError(refused)).toBe(false);
    expect(refused).toMatchObject({ code: 'JSON_UNSUPPORTED_VALUE', path: ['payload', 'items', 2] });
  });

  it("a recording sink's failed assertion is a PublishError ASSERTION_FAILED", () => {
    const sink = new RecordingSink();
    const failed = thrownBy(() => sink.assertPublished({ name: 'order:placed' }));
    expect(failed).toBeInstanceOf(PublishAssertionError);
    expect(isPublishError(failed)).toBe(true);
    expect(failed).toMatchObject({ name: 'PublishAssertionError', code: 'ASSERTION_FAILED' });
  });

  it('a transport timeout is an egress TIMEOUT with a phase', () => {
    const timeout = new TransportTimeoutError('no answer within 5 ms', { cause: 'slow' });
    expect(isEgressError(timeout)).toBe(true);
    expect(timeout.code).toBe(EgressErrorCode.Timeout);
    expect(timeout.phase).toBe('headers');
    expect(timeout.cause).toBe('slow');
    expect(new TransportTimeoutError('x', { phase: 'connect' }).phase).toBe('connect');
  });

  it('an error with issues carries them without a constructor of its own', () => {
    const issues = [{ path: 'topics[0].endpoint', message: 'must be a URL' }];
    const error = new TopicsError('INVALID_CONFIG', 'invalid topics', { issues });
    expect(isTopicsError(error)).toBe(true);
    expect(error.issues).toEqual(issues);
    expect(new TopicsError('INVALID_OPTIONS', 'x').issues).toEqual([]);
  });
});
