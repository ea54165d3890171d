import { describe, expect, it } from 'vitest';
import { defineErrorFamily, errorFamilyBrand, errorGuard, type ErrorCodeOf } from './error-family.js';
import type { ErrorIssue } from './error-issue.js';

const CatCode = { Hungry: 'INVALID_OPTIONS', Asleep: 'CLOSED' } as const;
const DogCode = { Hungry: 'INVALID_OPTIONS' } as const;

const cats = defineErrorFamily('CatError', CatCode);
const dogs = defineErrorFamily('DogError', DogCode);

class CatError extends cats.Base {}
class KittenError extends CatError {
  override readonly name = 'KittenError';
}

describe('defineErrorFamily', () => {
  it('makes errors with a code, a cause, a stable name and the family brand', () => {
    const cause = new Error('underneath');
    const error = new CatError('CLOSED', 'the cat is asleep', { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe('CLOSED');
    expect(error.message).toBe('the cat is asleep');
    expect(error.cause).toBe(cause);
    expect(error.name).toBe('CatError');
    expect(error[errorFamilyBrand]).toBe('CatError');
    expect(Error.prototype.toString.call(error)).toBe('CatError: the cat is asleep');
    expect(Object.hasOwn(new CatError('CLOSED', 'x'), 'cause')).toBe(false);
  });

  it('is true only for its own family and its subclasses, whatever the code', () => {
    const cat = new CatError('INVALID_OPTIONS', 'x');
    const kitten = new KittenError('INVALID_OPTIONS', 'x');
    const dog = new dogs.Base('INVALID_OPTIONS', 'x');
    expect(cats.is(cat)).toBe(true);
    expect(cats.is(kitten)).toBe(true);
    expect(kitten.name).toBe('KittenError');
    expect(cats.is(dog)).toBe(false);
    expect(dogs.is(cat)).toBe(false);
    expect(dogs.is(dog)).toBe(true);
  });

  it('recognises an error of another copy of the same family, as instanceof cannot', () => {
    const copy = defineErrorFamily('CatError', CatCode);
    const fromCopy = new copy.Base('CLOSED', 'x');
    expect(fromCopy).not.toBeInstanceOf(CatError);
    expect(cats.is(fromCopy)).toBe(true);
    expect(copy.is(new CatError('CLOSED', 'x'))).toBe(true);
  });

  it('refuses look-alikes: a name and a code without the brand, or a code outside the family', () => {
    const lookAlike = Object.assign(new Error('x'), { name: 'CatError', code: 'CLOSED' });
    expect(cats.is(lookAlike)).toBe(false);
    const foreignCode = new CatError('CLOSED', 'x');
    Object.defineProperty(foreignCode, 'code', { value: 'SOMETHING_ELSE' });
    expect(cats.is(foreignCode)).toBe(false);
    for (const value of [null, undefined, 'CatError', 42, {}]) expect(cats.is(value)).toBe(false);
  });

  it('takes only codes listed in errorCodes, where each code has one meaning', () => {
    // @ts-expect-error a code without an entry in errorCodes
    const unlisted = defineErrorFamily('UnlistedError', { Odd: 'NOT_A_LISTED_CODE' });
    expect(unlisted.family).toBe('UnlistedError');
  });

  it('takes any string code for a family whose codes the application chooses', () => {
    const open = defineErrorFamily('OpenError');
    expect(open.codes).toBeUndefined();
    expect(open.is(new open.Base('USER_NOT_FOUND', 'x'))).toBe(true);
    expect(cats.is(new open.Base('CLOSED', 'x'))).toBe(false);
  });

  it('carries issues: [] by default, and the ones given, typed by the class', () => {
    expect(new CatError('CLOSED', 'x').issues).toEqual([]);
    class FormError extends cats.Base<ErrorIssue<string>> {}
    const issues = [{ path: 'cats[0].name', message: 'must not be empty' }];
    const error = new FormError('INVALID_OPTIONS', 'bad cats', { issues });
    expect(error.issues).toBe(issues);
    const path: string = error.issues[0]?.path ?? '';
    expect(path).toBe('cats[0].name');
    // @ts-expect-error a path of keys where the class says a written path
    new FormError('INVALID_OPTIONS', 'x', { issues: [{ path: ['cats', 0], message: 'x' }] });
  });

  it('can make errors that are instances of a built-in class besides Error', () => {
    const ranges = defineErrorFamily('RangeCatError', CatCode, { base: RangeError });
    const error = new ranges.Base('INVALID_OPTIONS', 'too many cats', { cause: 'counted' });
    expect(error).toBeInstanceOf(RangeError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('RangeCatError');
    expect(error.cause).toBe('counted');
    expect(ranges.is(error)).toBe(true);
    expect(cats.is(error)).toBe(false);
    expect(cats.is(new RangeError('x'))).toBe(false);
    const asRange: RangeError = error;
    expect(asRange.message).toBe('too many cats');
  });
});

describe('errorGuard', () => {
  const isCatError = errorGuard(CatError);

  it('is the family guard, typed to the class: true for the family, its subclasses and another copy', () => {
    const value: unknown = new KittenError('CLOSED', 'x');
    expect(isCatError(value)).toBe(true);
    if (isCatError(value)) {
      const code: ErrorCodeOf<typeof CatCode> = value.code;
      expect(code).toBe('CLOSED');
    }
    expect(isCatError(new (defineErrorFamily('CatError', CatCode).Base)('CLOSED', 'x'))).toBe(true);
    expect(isCatError(new dogs.Base('INVALID_OPTIONS', 'x'))).toBe(false);
    expect(isCatError(Object.assign(new Error('x'), { name: 'CatError', code: 'CLOSED' }))).toBe(false);
    expect(errorGuard(dogs.Base)(new dogs.Base('INVALID_OPTIONS', 'x'))).toBe(true);
  });

  it('refuses a class it could not tell from its siblings, and a class of no family', () => {
    expect(() => errorGuard(KittenError)).toThrow(TypeError);
    expect(() => errorGuard(KittenError)).toThrow(/KittenError is not an error family's class/);
    class Plain extends Error {
      readonly code = 'CLOSED';
      readonly issues = [];
      readonly [errorFamilyBrand] = 'CatError';
    }
    expect(() => errorGuard(Plain)).toThrow(TypeError);
  });
});
