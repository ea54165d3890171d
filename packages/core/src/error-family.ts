import type { ErrorCodeName } from './error-codes.js';
import type { ErrorIssue, ErrorIssuePath } from './error-issue.js';

/**
 * The property holding an error's family name, on the prototype of every family's class. It is a
 * registered symbol, so two copies of a package in one `node_modules` brand their errors alike and
 * each copy's guard recognises the other's errors, where `instanceof` would not.
 */
export const errorFamilyBrand: unique symbol = Symbol.for('@events-protocol/error-family');

/** The codes of an `as const` code table, as a union: `ErrorCodeOf<typeof ServerErrorCode>`. */
export type ErrorCodeOf<TCodes extends Readonly<Record<string, string>>> = TCodes[keyof TCodes];

/** What a family's error may be given besides its code and message. */
export interface FamilyErrorOptions<TIssue extends ErrorIssue<ErrorIssuePath> = ErrorIssue> {
  /** The error that led to this one. */
  cause?: unknown;
  /** What is wrong with the input, one issue each; `[]` when left out. */
  issues?: readonly TIssue[] | undefined;
}

/** An error of a family: its stable `code`, its `issues`, its `cause`, and the family's brand. */
export interface FamilyError<
  TFamily extends string = string,
  TCode extends string = string,
  TIssue extends ErrorIssue<ErrorIssuePath> = ErrorIssue<ErrorIssuePath>,
> extends Error {
  readonly code: TCode;
  /** What is wrong with the input, one issue each (a configuration, a subscription, a payload); often `[]`. */
  readonly issues: readonly TIssue[];
  readonly [errorFamilyBrand]: TFamily;
}

/** A built-in error class a family may extend instead of `Error`, such as `RangeError` or `TypeError`. */
export type ErrorBaseClass<TError extends Error = Error> = new (message?: string, options?: ErrorOptions) => TError;

/**
 * The base class of a family, to extend (or to throw as it is). Its issue type is a type argument,
 * so a family whose errors carry issues says their shape once: `extends family.Base<TopicsConfigIssue>`.
 */
export interface ErrorFamilyClass<TFamily extends string, TCode extends string, TError extends Error = Error> {
  new <TIssue extends ErrorIssue<ErrorIssuePath> = ErrorIssue>(
    code: TCode,
    message: string,
    options?: FamilyErrorOptions<TIssue>,
  ): TError & FamilyError<TFamily, TCode, TIssue>;
  readonly prototype: TError & FamilyError<TFamily, TCode>;
}

/** What {@link defineErrorFamily} makes: a family's base class and its guard. */
export interface ErrorFamily<TFamily extends string, TCode extends string, TError extends Error = Error> {
  /** The family name: the brand of its errors and the `name` of its base class. */
  readonly family: TFamily;
  /** The family's codes; `undefined` for a family whose codes are the application's own. */
  readonly codes: ReadonlySet<TCode> | undefined;
  /** The base class: `new Base(code, message, { cause, issues })`. Subclasses may set their own `name`. */
  readonly Base: ErrorFamilyClass<TFamily, TCode, TError>;
  /**
   * Whether `value` is an error of this family (or a subclass), from any copy of the package: its
   * brand names this family and its `code` is one of the family's codes.
   */
  is(value: unknown): value is TError & FamilyError<TFamily, TCode>;
}

/** How a family is made besides its name and codes. */
export interface ErrorFamilyOptions<TError extends Error> {
  /**
   * The built-in class the family's errors are instances of besides `Error`: `RangeError` for
   * errors that stand where `JSON.parse` throws one, and callers test with `instanceof`.
   */
  base?: ErrorBaseClass<TError>;
}

// Each family's base class, for errorGuard to find the family of the class it is given.
const familyOfBase = new WeakMap<object, ErrorFamily<string, string>>();

/**
 * Makes a package's error family from its name and its `as const` code table, whose codes must be
 * listed in `errorCodes` (one meaning per code string). Without a table, `code` is any string: for
 * errors whose codes the application chooses.
 *
 * @example
 * export class ServerError extends defineErrorFamily('ServerError', ServerErrorCode).Base {}
 * export const isServerError = errorGuard(ServerError);
 */
export function defineErrorFamily<
  const TFamily extends string,
  const TCodes extends Readonly<Record<string, ErrorCodeName>>,
  TError extends Error = Error,
>(
  family: TFamily,
  codes: TCodes,
  options?: ErrorFamilyOptions<TError>,
): ErrorFamily<TFamily, ErrorCodeOf<TCodes>, TError>;
export function defineErrorFamily<const TFamily extends string>(family: TFamily): ErrorFamily<TFamily, string>;
export function defineErrorFamily(
  family: string,
  codes?: Readonly<Record<string, string>>,
  options?: ErrorFamilyOptions<Error>,
): ErrorFamily<string, string> {
  const codeSet: ReadonlySet<string> | undefined = codes === undefined ? undefined : new Set(Object.values(codes));
  const Parent: ErrorBaseClass = options?.base ?? Error;

  class Base<TIssue extends ErrorIssue<ErrorIssuePath> = ErrorIssue> extends Parent implements FamilyError {
    override readonly name: string = family;
    readonly code: string;
    readonly issues: readonly TIssue[];
    declare readonly [errorFamilyBrand]: string;

    constructor(code: string, message: string, options?: FamilyErrorOptions<TIssue>) {
      super(message, options?.cause === undefined ? undefined : { cause: options.cause });
      this.code = code;
      this.issues = options?.issues ?? [];
    }
  }
  Object.defineProperty(Base.prototype, errorFamilyBrand, { value: family, enumerable: false });
  Object.defineProperty(Base, 'name', { value: family });

  const made: ErrorFamily<string, string> = {
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
  familyOfBase.set(Base, made);
  return made;
}

/**
 * The `isXError` guard of a family's class: true for an error of its family (the class or any
 * subclass), also from another copy of the package, and typed to the class. Give it the family's
 * own class (the base class, or the one class that extends it directly), never a subclass of that:
 * the guard could not tell the subclass from its siblings, so it refuses.
 *
 * @example
 * export class ServerError extends defineErrorFamily('ServerError', ServerErrorCode).Base {}
 * export const isServerError = errorGuard(ServerError);
 * @throws {TypeError} when the class is not a family's base class or its direct subclass.
 */
export function errorGuard<TError extends FamilyError>(
  errorClass: abstract new (...args: never[]) => TError,
): (value: unknown) => value is TError {
  const parent: unknown = Object.getPrototypeOf(errorClass);
  const family = familyOfBase.get(errorClass) ?? (typeof parent === 'function' ? familyOfBase.get(parent) : undefined);
  if (family === undefined) {
    throw new TypeError(`errorGuard: ${errorClass.name} is not an error family's class (nor its direct subclass)`);
  }
  return (value: unknown): value is TError => family.is(value);
}
