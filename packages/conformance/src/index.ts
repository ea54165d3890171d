export { runConformance } from './run-conformance.js';
export type {
  ConformanceOptions,
  ConformanceProgress,
  ConformanceReport,
  ConformanceResult,
} from './run-conformance.js';
export type { ConformanceStop } from './preflight.js';
export { formatConformanceTable } from './format-conformance-table.js';
export type { ConformanceTableOptions } from './format-conformance-table.js';
export { conformanceChecks, selectChecks } from './conformance-checks.js';
export { transportConformanceChecks, httpOnlyCheckIds } from './transport-probe.js';
export { ConformanceError, ConformanceErrorCode, isConformanceError } from './conformance-error.js';
export { runCli } from './run-cli.js';
export type { CliStreams } from './run-cli.js';

// For authors of their own checks: the check interface, the probe and the judging helpers.
export type { ConformanceCheck, ConformanceStatus, CheckContext, CheckOutcome, Finding } from './conformance-check.js';
export { judge, failing, tolerated } from './conformance-check.js';
export type { ProbeRequest, ProbeAnswer } from './http-probe.js';
export { echoRequest, withoutFields, bodyOf } from './request-bodies.js';
export type { RequestFields } from './request-bodies.js';
export { readAnswerEvent, missingAnswer } from './read-answer.js';
export { ProbeShape, noEventCause, missingFieldShape } from './probe-shapes.js';
export type { AnswerEvent, AnswerRead } from './read-answer.js';
export { expectEcho } from './expect-echo.js';
export type { EchoAspects, EchoJudgement } from './expect-echo.js';
export { expectBadProtocol, expectEventNotFound } from './expect-protocol-error.js';
export type {
  BadProtocolExpectation,
  EventNotFoundExpectation,
  ProtocolErrorAspects,
} from './expect-protocol-error.js';
