import type { CheckContext, Finding } from '../conformance-check.js';
import type { ProbeAnswer, ProbeRequest } from '../http-probe.js';

/** One of several requests a check sends, with how to judge its answer. */
export interface LabelledProbe {
  /** Names the request in findings, e.g. `an array`. */
  readonly label: string;
  readonly request: ProbeRequest;
  readonly judge: (answer: ProbeAnswer) => Finding[];
}

/** Sends each probe in turn and gathers the findings, each prefixed with its probe's label. */
export async function probeEach(context: CheckContext, probes: readonly LabelledProbe[]): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const probe of probes) {
    const answer = await context.post(probe.request);
    for (const finding of probe.judge(answer)) {
      findings.push({ ...finding, message: `${probe.label}: ${finding.message}` });
    }
  }
  return findings;
}
