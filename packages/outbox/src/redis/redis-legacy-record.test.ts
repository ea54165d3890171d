import { describe, expect, it } from 'vitest';
import { convertLegacyRecord, historyFromLegacyErrors, readLegacyMember } from './redis-legacy-record.js';

const event = '{"id":"e-1","name":"order:placed","payload":{"big":65484548474984654}}';

function legacyFields(extra: Record<string, string> = {}): Map<string, string> {
  return new Map(
    Object.entries({
      id: 'e-1',
      topic: 'orders',
      event,
      attributes: '{"tenant":"acme"}',
      enqueuedAt: '1767225600000',
      attempts: '0',
      errors: '[]',
      ...extra,
    }),
  );
}

describe('historyFromLegacyErrors', () => {
  it('reads LEASE_EXPIRED errors as interrupted attempts and every other error as a failed one', () => {
    const errors = [
      { attempt: 1, at: '2026-01-01T00:00:01.000Z', message: 'receiver said 503', name: 'PublishError', code: 'HTTP' },
      {
        attempt: 2,
        at: '2026-01-01T00:00:02.000Z',
        message: 'lease gone',
        name: 'LeaseExpired',
        code: 'LEASE_EXPIRED',
      },
      { attempt: 3, at: '2026-01-01T00:00:03.000Z', message: 'plain' },
    ];
    expect(historyFromLegacyErrors(JSON.stringify(errors))).toEqual([
      {
        attempt: 1,
        at: '2026-01-01T00:00:01.000Z',
        durationMs: 0,
        outcome: 'failed',
        error: { message: 'receiver said 503', name: 'PublishError', code: 'HTTP' },
      },
      {
        attempt: 2,
        at: '2026-01-01T00:00:02.000Z',
        durationMs: 0,
        outcome: 'interrupted',
        error: { message: 'lease gone', name: 'LeaseExpired', code: 'LEASE_EXPIRED' },
      },
      { attempt: 3, at: '2026-01-01T00:00:03.000Z', durationMs: 0, outcome: 'failed', error: { message: 'plain' } },
    ]);
  });

  it('refuses what is not a list of errors', () => {
    for (const text of ['{', '{}', '[{"attempt":"1","at":"x","message":"m"}]', '[null]']) {
      expect(() => historyFromLegacyErrors(text)).toThrow(expect.objectContaining({ code: 'CORRUPT_RECORD' }));
    }
  });
});

describe('convertLegacyRecord', () => {
  it('keeps the fields, the event text (big integers included) and the attempts of an unclaimed entry', () => {
    const errors = JSON.stringify([{ attempt: 1, at: '2026-01-01T00:00:01.000Z', message: 'no' }]);
    const record = convertLegacyRecord(legacyFields({ attempts: '1', errors }));
    expect(record).toEqual({
      id: 'e-1',
      fields: ['topic', 'orders', 'event', event, 'attributes', '{"tenant":"acme"}', 'enqueuedAt', '1767225600000'],
      attempts: 1,
      history: [
        JSON.stringify({
          attempt: 1,
          at: '2026-01-01T00:00:01.000Z',
          durationMs: 0,
          outcome: 'failed',
          error: { message: 'no' },
        }),
      ],
    });
  });

  it('leaves out a topic the entry had none of', () => {
    const fields = legacyFields();
    fields.delete('topic');
    expect(convertLegacyRecord(fields).fields).not.toContain('topic');
  });

  it('counts every claim of a claimed entry as an interrupted attempt, the recorded ones once', () => {
    const now = new Date('2026-01-02T00:00:00.000Z');
    const stored = JSON.stringify([
      { attempt: 2, at: '2026-01-01T12:00:00.000Z', message: 'expired', name: 'LeaseExpired', code: 'LEASE_EXPIRED' },
    ]);
    const errors = JSON.stringify([{ attempt: 1, at: '2026-01-01T00:00:01.000Z', message: 'no' }]);
    const record = convertLegacyRecord(legacyFields({ attempts: '1', errors }), {
      interrupted: stored,
      deliveries: 3,
      now,
    });
    expect(record.attempts).toBe(4);
    const history = record.history.map((text) => JSON.parse(text) as { attempt: number; outcome: string; at: string });
    expect(history.map(({ attempt, outcome }) => [attempt, outcome])).toEqual([
      [1, 'failed'],
      [2, 'interrupted'],
      [3, 'interrupted'],
      [4, 'interrupted'],
    ]);
    expect(history.slice(2).map((item) => item.at)).toEqual([now.toISOString(), now.toISOString()]);
  });

  it('refuses an entry without its event', () => {
    const fields = legacyFields();
    fields.delete('event');
    expect(() => convertLegacyRecord(fields)).toThrow(expect.objectContaining({ code: 'CORRUPT_RECORD' }));
  });
});

describe('readLegacyMember', () => {
  it('reads a retries member as its fields', () => {
    const member = JSON.stringify(['id', 'e-1', 'event', event, 'attempts', '2']);
    expect(Object.fromEntries(readLegacyMember(member))).toEqual({ id: 'e-1', event, attempts: '2' });
  });

  it('refuses anything else', () => {
    for (const member of ['nope', '{}', '[1,2]']) {
      expect(() => readLegacyMember(member)).toThrow(expect.objectContaining({ code: 'CORRUPT_RECORD' }));
    }
  });
});
