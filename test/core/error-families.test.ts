import { EventClientError, TransportTimeoutError } from '@events-protocol/client';
import { ConformanceError } from '@events-protocol/conformance';
import {
  EventError,
  JsonDepthError,
  JsonValueError,
  RetryScheduleError,
  defineErrorFamily,
  errorCodes,
  errorFamilyBrand,
  type ErrorCodeName,
} from '@events-protocol/core';
import { FaultPlanError, InjectedFaultError } from '@events-protocol/fault-injection';
import { OutboxError } from '@events-protocol/outbox';
import { PublishError } from '@events-protocol/publish';
import { ServerError } from '@events-protocol/server';
import { TopicsError } from '@events-protocol/topics';
import { WebhookError } from '@events-protocol/webhooks';
import { describe, expect, it } from 'vitest';
import { errorFamilies } from '../support/error-families.js';

/** An error of the family made as a second copy of its package would make it. */
function fromSecondCopy(family: string, codes: Readonly<Record<string, ErrorCodeName>> | undefined): Error {
  if (codes === undefined) return new (defineErrorFamily(family).Base)('APP_CODE', `${family} from another copy`);
  const [code = 'CLOSED'] = Object.values(codes);
  return new (defineErrorFamily(family, codes).Base)(code, `${family} from another copy`);
}

describe('error families', () => {
  it('each guard is true for its own family only: the class, its subclasses and a second copy', () => {
    const errors = errorFamilies.flatMap(({ family, codes, samples }) => [
      ...samples.map((error) => ({ family, label: error.name, error })),
      { family, label: `${family} (second copy)`, error: fromSecondCopy(family, codes) },
    ]);
    const expected: string[] = [];
    const actual: string[] = [];
    for (const { family: guardFamily, guard } of errorFamilies) {
      for (const { family, label, error } of errors) {
        const row = `is${guardFamily}(${label})`;
        expected.push(`${row} = ${family === guardFamily}`);
        actual.push(`${row} = ${guard(error)}`);
      }
    }
    expect(actual).toEqual(expected);
  });

  it('a class made again with another family name passes no other guard', () => {
    for (const { family, guard } of errorFamilies) {
      const impostor = new (defineErrorFamily(`${family}Copy`, { Any: 'INVALID_OPTIONS' }).Base)(
        'INVALID_OPTIONS',
        'x',
      );
      expect(guard(impostor)).toBe(false);
      const lookAlike = Object.assign(new Error('x'), { name: family, code: 'INVALID_OPTIONS' });
      expect(guard(lookAlike)).toBe(false);
    }
  });

  it('each error carries its family brand, its class name and a code', () => {
    for (const { family, samples } of errorFamilies) {
      for (const error of samples) {
        expect(Reflect.get(error, errorFamilyBrand)).toBe(family);
        expect(error.name).toBe(error.constructor.name);
        expect(typeof Reflect.get(error, 'code')).toBe('string');
      }
    }
  });

  it('passes the cause through, as the constructors always took it', () => {
    const cause = new Error('underneath');
    const errors: Error[] = [
      new EventError('gone', { code: 'X' }, { cause }),
      new RetryScheduleError('UNKNOWN_SCHEDULE', 'x', [], { cause }),
      new EventClientError('CLOSED', 'x', { cause }),
      new ServerError('INVALID_OPTIONS', 'x', { cause }),
      new PublishError('CLOSED', 'x', { cause, sink: 'http' }),
      new OutboxError('CLOSED', 'x', { cause }),
      new WebhookError('CLOSED', 'x', { cause }),
      new TopicsError('INVALID_CONFIG', 'x', { cause }),
      new ConformanceError('UNKNOWN_CHECK', 'x', { cause }),
      new FaultPlanError('x', { cause }),
      new InjectedFaultError('x', { cause }),
      new JsonDepthError('x', { cause }),
      new JsonValueError([], 'is a function', { cause }),
      new TransportTimeoutError('x', { cause }),
    ];
    for (const error of errors) expect(error.cause).toBe(cause);
  });

  it('every code has one meaning, in one table: each family code is listed once in errorCodes', () => {
    const used = new Set<string>();
    for (const { family, codes } of errorFamilies) {
      for (const code of Object.values(codes ?? {})) {
        expect(Object.keys(errorCodes), `${family} code ${code}`).toContain(code);
        used.add(code);
      }
    }
    expect([...used].sort()).toEqual(Object.keys(errorCodes).sort());
  });
});
