import { EventBuilder } from '@events-protocol/core';
import { describe, expect, it } from 'vitest';
import { answerToJson } from './answer-json.js';
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

const request = EventBuilder.request({ name: 'user:get', version: 3, payload: null });

describe('answerToJson', () => {
  it('writes an answer as JSON with integers beyond doubles in all their digits', () => {
    const answer = EventBuilder.responseFor(request, { id: 65484548474984654n });
    const logger = errorLog();
    const text = answerToJson(answer, logger);
    expect(text).toContain('"payload":{"id":65484548474984654}');
    expect(text.startsWith('{"name":"user:get:response","version":3,')).toBe(true);
    expect(logger.errors).toEqual([]);
  });

  it('answers <name>:error UNHANDLED_ERROR for an answer JSON cannot hold, and logs it', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    const logger = errorLog();
    const text = answerToJson(EventBuilder.responseFor(request, cyclic), logger);
    expect(JSON.parse(text)).toEqual({
      name: 'user:get:error',
      version: 3,
      id: request.id,
      flowId: request.flowId,
      payload: { code: 'UNHANDLED_ERROR', parameters: {} },
      identity: {},
      auth: {},
      metadata: {},
    });
    expect(logger.errors).toMatchObject([{ event: 'user:get', id: request.id, flowId: request.flowId }]);
  });

  it('names the request after an answer without a colon by its whole name', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    const answer = { ...EventBuilder.eventNotFound(request), payload: cyclic };
    expect(JSON.parse(answerToJson(answer, errorLog()))).toMatchObject({ name: 'eventNotFound:error' });
  });
});
