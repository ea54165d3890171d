import { describe, expectTypeOf, it } from 'vitest';
import { defineErrorFamily, errorGuard, type ErrorCodeOf } from './error-family.js';
import type { ErrorIssue } from './error-issue.js';

const ShelfCode = { Full: 'INVALID_OPTIONS', Gone: 'CLOSED' } as const;

class ShelfError extends defineErrorFamily('ShelfError', ShelfCode).Base<ErrorIssue<string>> {
  readonly shelf = 'top';
}
class RangeShelfError extends defineErrorFamily('RangeShelfError', ShelfCode, { base: RangeError }).Base {}

describe('error families, in types', () => {
  it('reads the codes of a table as a union', () => {
    expectTypeOf<ErrorCodeOf<typeof ShelfCode>>().toEqualTypeOf<'INVALID_OPTIONS' | 'CLOSED'>();
  });

  it('types code and issues from the family and the class', () => {
    const error = new ShelfError('CLOSED', 'x');
    expectTypeOf(error.code).toEqualTypeOf<'INVALID_OPTIONS' | 'CLOSED'>();
    expectTypeOf(error.issues).toEqualTypeOf<readonly ErrorIssue<string>[]>();
    // @ts-expect-error a code outside the family's table
    new ShelfError('TIMEOUT', 'x');
    // @ts-expect-error issues of another shape than the class says
    new ShelfError('CLOSED', 'x', { issues: [{ path: ['shelf'], message: 'x' }] });
  });

  it('keeps the built-in base in the type', () => {
    expectTypeOf(new RangeShelfError('CLOSED', 'x')).toExtend<RangeError>();
  });

  it('types a guard to the class it was made for', () => {
    const isShelfError = errorGuard(ShelfError);
    const value: unknown = new ShelfError('CLOSED', 'x');
    if (isShelfError(value)) expectTypeOf(value).toEqualTypeOf<ShelfError>();
    expectTypeOf(isShelfError).guards.toEqualTypeOf<ShelfError>();
  });
});
