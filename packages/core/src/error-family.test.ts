import { describe, expect, it } from 'vitest';
import { defineErrorFamily, errorFamilyBrand } from './error-family.js';

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
    expect(String(error)).toBe('CatError: the cat is asleep');
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
});
