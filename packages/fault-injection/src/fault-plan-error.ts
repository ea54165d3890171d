import { defineErrorFamily, errorGuard } from '@events-protocol/core';

/** The stable code of {@link FaultPlanError}. */
export const FaultPlanErrorCode = {
  /** A rate is not a probability, the outcome rates sum above 1, or a latency range is inverted. */
  InvalidFaultPlan: 'INVALID_FAULT_PLAN',
} as const;

/** Thrown for a plan whose rates are not probabilities. */
export class FaultPlanError extends defineErrorFamily('FaultPlanError', FaultPlanErrorCode).Base {
  constructor(message: string, options?: { cause?: unknown }) {
    super(FaultPlanErrorCode.InvalidFaultPlan, message, options);
  }
}

/** Whether `value` is a {@link FaultPlanError}, also across copies of this package. */
export const isFaultPlanError = errorGuard(FaultPlanError);
