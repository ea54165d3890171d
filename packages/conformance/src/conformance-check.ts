import type { ProbeAnswer, ProbeRequest } from './http-probe.js';

/**
 * How a server did on one check: `pass`, `fail` (it breaks a protocol rule), `warn` (a deviation
 * the protocol tells readers to tolerate, or a choice it allows, such as a strict server), or
 * `skip` (not judged: it failed only for a fault an earlier check already counted).
 */
export type ConformanceStatus = 'pass' | 'warn' | 'fail' | 'skip';

/** What one check concluded, with a one-line detail naming what was observed. */
export interface CheckOutcome {
  readonly status: ConformanceStatus;
  readonly detail: string;
  /**
   * The findings behind the status, as {@link judge} gives them. With them, a failure whose
   * {@link Finding.cause} an earlier check already counted is reported once, not again here.
   */
  readonly findings?: readonly Finding[];
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
  /**
   * The faults ({@link Finding.cause}) this check judges. When it is part of a run, any other
   * check that fails only for one of them is reported `skip`, blocked by this one.
   */
  readonly owns?: readonly string[];
}

/** One problem a check found; a check's status is the worst of its findings. */
export interface Finding {
  readonly status: 'warn' | 'fail';
  readonly message: string;
  /**
   * The fault behind a failure when other checks may meet the same one (no answer to a kind of
   * request, an error payload that cannot be read): the first check in report order that fails
   * for it counts it, and a later check that fails only for counted faults is skipped.
   */
  readonly cause?: string;
}

/** A failing finding; `cause` names a fault other checks may meet too. */
export function failing(message: string, cause?: string): Finding {
  return cause === undefined ? { status: 'fail', message } : { status: 'fail', message, cause };
}

/** A tolerated deviation; `cause` names a fault other checks may meet too. */
export function tolerated(message: string, cause?: string): Finding {
  return cause === undefined ? { status: 'warn', message } : { status: 'warn', message, cause };
}

/** The outcome of a check from its findings: the worst status, failures named first. */
export function judge(findings: readonly Finding[], passDetail: string): CheckOutcome {
  if (findings.length === 0) return { status: 'pass', detail: passDetail, findings };
  const failures = findings.filter((finding) => finding.status === 'fail');
  const warnings = findings.filter((finding) => finding.status === 'warn');
  return {
    status: failures.length > 0 ? 'fail' : 'warn',
    detail: [...failures, ...warnings].map((finding) => finding.message).join('; '),
    findings,
  };
}
