import { defineErrorFamily, errorGuard } from '@events-protocol/core';

/** The stable code of {@link InjectedFaultError}. */
export const InjectedFaultErrorCode = {
  /** A failure the plan injected on purpose. */
  InjectedFault: 'INJECTED_FAULT',
} as const;

/** Thrown by a faulty sink's `publish` for an injected failure. */
export class InjectedFaultError extends defineErrorFamily('InjectedFaultError', InjectedFaultErrorCode).Base {
  constructor(message: string, options?: { cause?: unknown }) {
    super(InjectedFaultErrorCode.InjectedFault, message, options);
  }
}

/** Whether `value` is an {@link InjectedFaultError}, also across copies of this package. */
export const isInjectedFaultError = errorGuard(InjectedFaultError);
