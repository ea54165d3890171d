import { describe, expect, it } from 'vitest';
import { contractError, defaultErrorCode } from './contract-error.js';

describe('defaultErrorCode', () => {
  it.each([
    ['notFound', 'NOT_FOUND'],
    ['quotaExceeded', 'QUOTA_EXCEEDED'],
    ['error', 'ERROR'],
    ['userDenied', 'USER_DENIED'],
    ['HTTPFailure', 'HTTP_FAILURE'],
    ['out-of-stock', 'OUT_OF_STOCK'],
  ])('writes %s as %s', (errorType, code) => {
    expect(defaultErrorCode(errorType)).toBe(code);
  });
});

describe('contractError', () => {
  const contract = { name: 'user:get', version: 1, errors: {} };

  it('answers {} as parameters when a caller gave none', () => {
    const error = contractError(contract, 'gone', undefined);
    expect(error.parameters).toEqual({});
    expect(error.cause).toBeUndefined();
    expect(error.contract).toBe(contract);
  });
});
