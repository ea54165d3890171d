/**
 * The rule both JSON readers apply to a number literal, so that they agree on every number: an
 * integer literal (no fraction, no exponent) outside the safe range is a `bigint` of its digits;
 * any other literal is the nearest double, unless that double is Infinity (`1e400`) or 0 while
 * the literal's digits before the exponent are not all zeros (`1e-400`): those are refused.
 */

const fractionOrExponent = /[.eE]/;
const nonZeroDigitBeforeExponent = /^[^eE]*[1-9]/;

/** Whether a JSON number literal is written as an integer: no fraction and no exponent. */
export function isIntegerLiteral(literal: string): boolean {
  return !fractionOrExponent.test(literal);
}

/**
 * Why a non-integer literal cannot be read, given `number`, the double it reads as
 * (`Number(literal)`); `undefined` when that double is its value.
 */
export function numberLiteralRefusal(literal: string, number: number): string | undefined {
  if (!Number.isFinite(number)) return 'is beyond the range of a double';
  if (number === 0 && nonZeroDigitBeforeExponent.test(literal)) return 'is too close to zero for a double';
  return undefined;
}

/** The message of a {@link numberLiteralRefusal}, the literal shortened to 40 characters. */
export function numberRefusalMessage(literal: string, reason: string, position?: number): string {
  const shown = literal.length > 40 ? `${literal.slice(0, 37)}...` : literal;
  return `The number ${shown} ${reason}${position === undefined ? '' : ` (at position ${position})`}`;
}
