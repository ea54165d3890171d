import { EventBuilder, EventErrorType } from '@events-protocol/core';
import { describe, expect, it } from 'vitest';
import { AnswerRecorder } from './answer-recorder.js';
import { silentLogger, type EventLogger } from './event-logger.js';
import type { EventMeasurement } from './event-metrics.js';

function infoLog(enabled: boolean): EventLogger & { lines: unknown[] } {
  const lines: unknown[] = [];
  const discard = () => undefined;
  return {
    lines,
    isLevelEnabled: (level) => enabled && level === 'info',
    debug: discard,
    info: (object: unknown) => lines.push(object),
    warn: discard,
    error: discard,
  };
}

const event = EventBuilder.request({ name: 'user:get', version: 2, payload: null, auth: { token: 'secret' } });

describe('AnswerRecorder', () => {
  it('reads no clock and records nothing with no metrics and the info level off', () => {
    const logger = infoLog(false);
    const recorder = new AnswerRecorder(undefined, logger);
    const started = recorder.start();
    expect(started).toBe(0);
    const answer = EventBuilder.responseFor(event, 'ok');
    expect(recorder.record(answer, event, started)).toBe(answer);
    expect(logger.lines).toEqual([]);
  });

  it('measures each answer by name, version and outcome', () => {
    const measured: EventMeasurement[] = [];
    const recorder = new AnswerRecorder({ recordEvent: (measurement) => measured.push(measurement) }, silentLogger);
    recorder.record(EventBuilder.responseFor(event, 'ok'), event, recorder.start());
    recorder.record(EventBuilder.errorFor(event, EventErrorType.NotFound, { code: 'NO' }), event, recorder.start());
    recorder.record(EventBuilder.badProtocol({}), undefined, recorder.start());
    expect(measured.map(({ name, version, outcome }) => ({ name, version, outcome }))).toEqual([
      { name: 'user:get', version: 2, outcome: 'success' },
      { name: 'user:get', version: 2, outcome: 'notFound' },
      { name: undefined, version: undefined, outcome: 'badProtocol' },
    ]);
    for (const { durationMs } of measured) expect(durationMs).toBeGreaterThanOrEqual(0);
  });

  it('logs one info line per answer with the answer name and duration, never auth', () => {
    const logger = infoLog(true);
    const recorder = new AnswerRecorder(undefined, logger);
    const answer = EventBuilder.responseFor(event, 'ok');
    recorder.record(answer, event, recorder.start());
    expect(logger.lines).toEqual([
      {
        event: 'user:get',
        version: 2,
        id: event.id,
        flowId: event.flowId,
        outcome: 'user:get:response',
        durationMs: expect.any(Number),
      },
    ]);
    expect(JSON.stringify(logger.lines)).not.toContain('secret');
  });
});
