import { judge, type CheckOutcome, type ConformanceCheck, type Finding } from './conformance-check.js';

/**
 * Counts each fault once across a run. A failure with a {@link Finding.cause} is counted by the
 * first check in report order that fails for it, except that a check which
 * {@link ConformanceCheck.owns} the cause and comes later in the run is left to count it. A check
 * whose failures (or, for a warning, whose findings) are all counted elsewhere is reported
 * `skip`, blocked by those checks; one with a failure of its own still fails, naming only its own.
 */
export class FaultLedger {
  readonly #declared = new Map<string, string>();
  readonly #counted = new Map<string, string>();
  readonly #settled = new Set<string>();

  /** @param checks the run's checks, with the causes each owns. */
  constructor(checks: readonly ConformanceCheck[]) {
    for (const check of checks) for (const cause of check.owns ?? []) this.#declared.set(cause, check.id);
  }

  /** The outcome of check `id` as the report shows it. Call once per check, in report order. */
  settle(id: string, outcome: CheckOutcome): { status: CheckOutcome['status']; detail: string } {
    this.#settled.add(id);
    const { status, detail, findings } = outcome;
    if ((status !== 'fail' && status !== 'warn') || findings === undefined) return { status, detail };
    const blockers = new Map<Finding, string>();
    for (const finding of findings) {
      const blocker = this.#blockerOf(id, finding);
      if (blocker !== undefined) blockers.set(finding, blocker);
    }
    const own = findings.filter((finding) => !blockers.has(finding));
    for (const finding of own) {
      if (finding.status === 'fail' && finding.cause !== undefined) this.#counted.set(finding.cause, id);
    }
    if (blockers.size === 0) return { status, detail };
    const names = [...new Set(blockers.values())].join(', ');
    if (own.some((finding) => finding.status === 'fail')) {
      return { status: 'fail', detail: `${judge(own, '').detail} (also blocked by ${names})` };
    }
    if (own.length > 0 && ![...blockers.keys()].some((finding) => finding.status === 'fail')) {
      return { status: 'warn', detail: judge(own, '').detail };
    }
    const messages = [...blockers.keys()].map((finding) => finding.message).join('; ');
    return { status: 'skip', detail: `blocked by ${names}: ${messages}` };
  }

  /** The check that counts this failure's fault instead of `id`, if any. */
  #blockerOf(id: string, finding: Finding): string | undefined {
    if (finding.cause === undefined) return undefined;
    const counter = this.#counted.get(finding.cause);
    if (counter !== undefined) return counter === id ? undefined : counter;
    const owner = this.#declared.get(finding.cause);
    return owner !== undefined && owner !== id && !this.#settled.has(owner) ? owner : undefined;
  }
}
