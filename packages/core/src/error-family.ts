import type { ErrorCodeName } from './error-codes.js';

/**
 * The property holding an error's family name, on the prototype of every family's class. It is a
 * registered symbol, so two copies of a package in one `node_modules` brand their errors alike and
 * each copy's guard recognises the other's errors, where `instanceof` would not.
 */
export const errorFamilyBrand: unique symbol = Symbol.for('@events-protocol/error-family');

/** An error of a family: its stable `code`, its `cause`, and the family's brand. */
export interface FamilyError<TFamily extends string = string, TCode extends string = string> extends Error {
  readonly code: TCode;
  readonly [errorFamilyBrand]: TFamily;
}

/** The base class of a family, to extend (or to throw as it is). */
export interface ErrorFamilyClass<TFamily extends string, TCode extends string> {
  new (code: TCode, message: string, options?: { cause?: unknown }): FamilyError<TFamily, TCode>;
  readonly prototype: FamilyError<TFamily, TCode>;
}

/** What {@link defineErrorFamily} makes: a family's base class and its guard. */
export interface ErrorFamily<TFamily extends string, TCode extends string> {
  /** The family name: the brand of its errors and the `name` of its base class. */
  readonly family: TFamily;
  /** The family's codes; `undefined` for a family whose codes are the application's own. */
  readonly codes: ReadonlySet<TCode> | undefined;
  /** The base class: `new Base(code, message, { cause })`. Subclasses may set their own `name`. */
  readonly Base: ErrorFamilyClass<TFamily, TCode>;
  /**
   * Whether `value` is an error of this family (or a subclass), from any copy of the package: its
   * brand names this family and its `code` is one of the family's codes.
   */
  is(value: unknown): value is FamilyError<TFamily, TCode>;
}

/**
 * Makes a package's error family from its name and its `as const` code table, whose codes must be
 * listed in `errorCodes` (one meaning per code string). Without a table, `code` is any string: for
 * errors whose codes the application chooses.
 *
 * @example
 * const family = defineErrorFamily('ServerError', ServerErrorCode);
 * export class ServerError extends family.Base {}
 * export function isServerError(value: unknown): value is ServerError { return family.is(value); }
 */
export function defineErrorFamily<
  const TFamily extends string,
  const TCodes extends Readonly<Record<string, ErrorCodeName>>,
>(family: TFamily, codes: TCodes): ErrorFamily<TFamily, TCodes[keyof TCodes]>;
export function defineErrorFamily<const TFamily extends string>(family: TFamily): ErrorFamily<TFamily, string>;
export function defineErrorFamily(
  family: string,
  codes?: Readonly<Record<string, string>>,
): ErrorFamily<string, string> {
  const codeSet: ReadonlySet<string> | undefined = codes === undefined ? undefined : new Set(Object.values(codes));

  class Base extends Error implements FamilyError {
    override readonly name: string = family;
    readonly code: string;
    declare readonly [errorFamilyBrand]: string;

    constructor(code: string, message: string, options?: { cause?: unknown }) {
      super(message, options?.cause === undefined ? undefined : { cause: options.cause });
      this.code = code;
    }
  }
  Object.defineProperty(Base.prototype, errorFamilyBrand, { value: family, enumerable: false });
  Object.defineProperty(Base, 'name', { value: family });

  return {
    family,
    codes: codeSet,
    Base,
    is(value: unknown): value is FamilyError {
      if (typeof value !== 'object' || value === null) return false;
      const candidate = value as { readonly [errorFamilyBrand]?: unknown; readonly code?: unknown };
      if (candidate[errorFamilyBrand] !== family || typeof candidate.code !== 'string') return false;
      return codeSet === undefined || codeSet.has(candidate.code);
    },
  };
}
