import { EgressError, EgressErrorCode } from './egress-error.js';

/**
 * The time a request may take: one number for both phases, or each apart. `connectMs` bounds
 * getting a connection (a pooled socket, DNS, TCP, TLS); `responseMs` bounds the rest, from the
 * connection to the last byte of the response body.
 */
export type EgressTimeouts = number | { readonly connectMs: number; readonly responseMs: number };

/** {@link EgressTimeouts} read into both limits. */
export interface PhaseTimeouts {
  readonly connectMs: number;
  readonly responseMs: number;
}

/** 10 seconds to connect and 10 more for the response, unless told otherwise. */
export const defaultEgressTimeoutMs = 10_000;

/** Whether `value` is a usable number of milliseconds: finite and above zero. */
export function isPositiveMs(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}

function checked(name: string, value: unknown): number {
  if (!isPositiveMs(value)) {
    throw new EgressError({
      code: EgressErrorCode.InvalidOptions,
      phase: 'request',
      message: `${name} must be a positive, finite number of ms, got ${String(value)}`,
    });
  }
  return value;
}

/**
 * Reads and validates a `timeouts` option.
 *
 * @throws {EgressError} `INVALID_OPTIONS` for anything but positive finite numbers of ms.
 */
export function readEgressTimeouts(option: EgressTimeouts | undefined, name = 'timeouts'): PhaseTimeouts {
  if (option === undefined) return { connectMs: defaultEgressTimeoutMs, responseMs: defaultEgressTimeoutMs };
  if (typeof option === 'number') {
    const both = checked(name, option);
    return { connectMs: both, responseMs: both };
  }
  if (typeof option !== 'object' || (option as unknown) === null) {
    throw new EgressError({
      code: EgressErrorCode.InvalidOptions,
      phase: 'request',
      message: `${name} must be a number of ms or { connectMs, responseMs }`,
    });
  }
  return {
    connectMs: checked(`${name}.connectMs`, option.connectMs),
    responseMs: checked(`${name}.responseMs`, option.responseMs),
  };
}
