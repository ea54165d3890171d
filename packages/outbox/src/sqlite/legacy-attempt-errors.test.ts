import { describe, expect, it } from 'vitest';
import { maxKeptAttempts } from '../outbox-store.js';
import { attemptRecordOfLegacyError, historyOfLegacyErrors } from './legacy-attempt-errors.js';

const at = '2026-01-01T00:00:00.000Z';

describe('attempt errors of an earlier version as attempt records', () => {
  it('turns a sink failure into a failed attempt with its name and code', () => {
    expect(
      attemptRecordOfLegacyError({
        attempt: 2,
        at,
        message: 'receiver said 503',
        name: 'PublishError',
        code: 'FAILED',
      }),
    ).toEqual({
      attempt: 2,
      at,
      durationMs: 0,
      outcome: 'failed',
      error: { message: 'receiver said 503', name: 'PublishError', code: 'FAILED' },
    });
  });

  it('turns an expired lease into an interrupted attempt', () => {
    const record = attemptRecordOfLegacyError({
      attempt: 1,
      at,
      message: 'lease expired',
      name: 'LeaseExpired',
      code: 'LEASE_EXPIRED',
    });
    expect(record).toMatchObject({
      attempt: 1,
      outcome: 'interrupted',
      durationMs: 0,
      error: { code: 'LEASE_EXPIRED' },
    });
  });

  it('keeps an error without name or code as a bare message', () => {
    expect(attemptRecordOfLegacyError({ attempt: 1, at, message: 'socket hang up' })).toEqual({
      attempt: 1,
      at,
      durationMs: 0,
      outcome: 'failed',
      error: { message: 'socket hang up' },
    });
  });

  it('refuses what is not an attempt error', () => {
    expect(attemptRecordOfLegacyError(null)).toBeUndefined();
    expect(attemptRecordOfLegacyError({ at, message: 'no attempt number' })).toBeUndefined();
    expect(attemptRecordOfLegacyError({ attempt: 1, message: 'no time' })).toBeUndefined();
  });

  it('converts a stored list in order, keeping the newest records', () => {
    const errors = Array.from({ length: maxKeptAttempts + 5 }, (_, index) => ({
      attempt: index + 1,
      at,
      message: `try ${index + 1}`,
    }));
    const history = JSON.parse(historyOfLegacyErrors(JSON.stringify(errors))!) as { attempt: number }[];
    expect(history).toHaveLength(maxKeptAttempts);
    expect(history[0]!.attempt).toBe(6);
    expect(history.at(-1)!.attempt).toBe(maxKeptAttempts + 5);
    expect(historyOfLegacyErrors('[]')).toBe('[]');
  });

  it('leaves text it cannot read alone', () => {
    expect(historyOfLegacyErrors('not json')).toBeUndefined();
    expect(historyOfLegacyErrors('{"attempt":1}')).toBeUndefined();
    expect(historyOfLegacyErrors(JSON.stringify([{ attempt: 1, at, message: 'ok' }, 'junk']))).toBeUndefined();
  });
});
