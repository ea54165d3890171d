import type { ProbeAnswer, ProbeRequest } from './http-probe.js';

/**
 * How a server did on one check: `pass`, `fail` (it breaks a protocol rule), or `warn` (a
 * deviation the protocol tells readers to tolerate, or a choice it allows, such as a strict server).
 */
export type ConformanceStatus = 'pass' | 'warn' | 'fail';

/** What one check concluded, with a one-line detail naming what was observed. */
export interface CheckOutcome {
  readonly status: ConformanceStatus;
  readonly detail: string;
}

/** What a check may use: the echo event under test and a way to POST raw bodies to the server. */
export interface CheckContext {
  /** The events route under test, e.g. `http://127.0.0.1:8080/events`. */
  readonly url: string;
  /** The name of the server's echo handler, which answers its payload unchanged. */
  readonly echoEvent: string;
  /** The version the echo handler is registered under. */
  readonly echoVersion: number;
  /** POSTs one raw body; never throws (no answer is a {@link ProbeAnswer} too). */
  post(probe: ProbeRequest): Promise<ProbeAnswer>;
}

/**
 * One rule of the protocol that can be observed from outside with only an echo handler.
 *
 * @example
 * const only = conformanceChecks.filter((check) => check.id.startsWith('bad-protocol-'));
 * await runConformance({ url, checks: only });
 */
export interface ConformanceCheck {
  /** A stable kebab-case id, e.g. `success-naming`. */
  readonly id: string;
  /** One sentence: the rule, citing the PROTOCOL.md section it comes from. */
  readonly rule: string;
  /** Sends its requests and judges the answers; never throws. */
  run(context: CheckContext): Promise<CheckOutcome>;
}

/** One problem a check found; a check's status is the worst of its findings. */
export interface Finding {
  readonly status: 'warn' | 'fail';
  readonly message: string;
}

/** A failing finding. */
export function failing(message: string): Finding {
  return { status: 'fail', message };
}

/** A tolerated deviation. */
export function tolerated(message: string): Finding {
  return { status: 'warn', message };
}

/** The outcome of a check from its findings: the worst status, failures named first. */
export function judge(findings: readonly Finding[], passDetail: string): CheckOutcome {
  if (findings.length === 0) return { status: 'pass', detail: passDetail };
  const failures = findings.filter((finding) => finding.status === 'fail');
  const warnings = findings.filter((finding) => finding.status === 'warn');
  return {
    status: failures.length > 0 ? 'fail' : 'warn',
    detail: [...failures, ...warnings].map((finding) => finding.message).join('; '),
  };
}
