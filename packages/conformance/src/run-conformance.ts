import { Agent, type Dispatcher } from 'undici';
import type { CheckContext, CheckOutcome, ConformanceCheck, ConformanceStatus } from './conformance-check.js';
import { conformanceChecks } from './conformance-checks.js';
import { ConformanceError, ConformanceErrorCode } from './conformance-error.js';
import { FaultLedger } from './fault-ledger.js';
import { HttpProbe } from './http-probe.js';
import { preflight, type ConformanceStop } from './preflight.js';
import { TransportProbe, transportConformanceChecks } from './transport-probe.js';
import type { EventTransport } from '@events-protocol/client';

/** Where the server under test is, and how its echo handler is registered. */
export interface ConformanceOptions {
  /**
   * The events route, e.g. `http://127.0.0.1:8080/events`; with a `transport`, any URL naming the
   * server in the report (`nats://127.0.0.1:4222/events`).
   */
  url: string;
  /**
   * Send through this transport instead of HTTP (the NATS transport, say; the caller closes it).
   * The checks of HTTP itself (status, content type, trailing slash) are left out by default.
   */
  transport?: EventTransport;
  /** The name of a handler that answers its payload unchanged; `conformance:echo` by default. */
  echoEvent?: string;
  /** The echo handler's version; 1 by default. */
  echoVersion?: number;
  /** How long each request may wait for its answer, in ms; 5000 by default. */
  timeoutMs?: number;
  /** Headers sent with every request (an API key for a gateway, say). */
  headers?: Record<string, string>;
  /** The undici dispatcher to send through; by default the run opens its own pool and closes it. */
  dispatcher?: Dispatcher;
  /** The checks to run; all of {@link conformanceChecks} by default. */
  checks?: readonly ConformanceCheck[];
  /** How many checks run at once; 4 by default. */
  concurrency?: number;
  /**
   * Called with each result as soon as it and every result before it are known, in report
   * order: progress for a terminal.
   */
  onResult?: (result: ConformanceResult, progress: ConformanceProgress) => void;
}

/** How far a run is, for {@link ConformanceOptions.onResult}. */
export interface ConformanceProgress {
  /** Results reported so far, this one included. */
  readonly done: number;
  readonly total: number;
}

/** One check's verdict in a report. */
export interface ConformanceResult {
  readonly id: string;
  readonly rule: string;
  readonly status: ConformanceStatus;
  readonly detail: string;
}

/** The verdict of a run: every check's result, the counts, and whether the server passed. */
export interface ConformanceReport {
  readonly url: string;
  readonly echoEvent: string;
  readonly echoVersion: number;
  readonly results: readonly ConformanceResult[];
  readonly counts: Readonly<Record<ConformanceStatus, number>>;
  /** Why no check ran: the server is unreachable, does not answer, or has no echo handler. */
  readonly stopped?: ConformanceStop;
  /** The checks ran and none failed (warnings allowed). */
  readonly passed: boolean;
}

/**
 * Runs the protocol's checks against a server's events route. The server needs one handler that
 * answers its payload unchanged, registered under `echoEvent` and `echoVersion`. Never rejects for
 * what the server does: failures, and a server that cannot run the checks at all (unreachable,
 * silent, or without the echo handler: {@link ConformanceReport.stopped}), are in the report.
 *
 * @example
 * const report = await runConformance({ url: 'http://127.0.0.1:8080/events' });
 * process.stdout.write(formatConformanceTable(report));
 * process.exitCode = report.passed ? 0 : 1;
 *
 * @throws {ConformanceError} `INVALID_OPTIONS` for a URL that is not http(s) or an invalid option.
 */
export async function runConformance(options: ConformanceOptions): Promise<ConformanceReport> {
  const settings = validated(options);
  const dispatcher = options.dispatcher ?? new Agent({ connect: { timeout: settings.timeoutMs } });
  try {
    const probe =
      options.transport === undefined
        ? new HttpProbe({
            url: settings.url,
            dispatcher,
            timeoutMs: settings.timeoutMs,
            headers: options.headers ?? {},
          })
        : new TransportProbe(options.transport, settings.timeoutMs, options.headers ?? {});
    try {
      const context: CheckContext = {
        url: settings.url,
        echoEvent: settings.echoEvent,
        echoVersion: settings.echoVersion,
        post: (request) => probe.post(request),
      };
      const base = { url: settings.url, echoEvent: settings.echoEvent, echoVersion: settings.echoVersion };
      const counts = { pass: 0, warn: 0, fail: 0, skip: 0 };
      const stopped = await preflight(context);
      if (stopped !== undefined) return { ...base, results: [], counts, stopped, passed: false };
      const results = await runAll(
        options.checks ?? (options.transport === undefined ? conformanceChecks : transportConformanceChecks),
        context,
        settings.concurrency,
        options.onResult,
      );
      for (const result of results) counts[result.status]++;
      return { ...base, results, counts, passed: counts.fail === 0 };
    } finally {
      probe.close();
    }
  } finally {
    if (options.dispatcher === undefined) await dispatcher.close();
  }
}

/** Runs the checks `concurrency` at a time and settles their outcomes in report order. */
async function runAll(
  checks: readonly ConformanceCheck[],
  context: CheckContext,
  concurrency: number,
  onResult: ConformanceOptions['onResult'],
): Promise<ConformanceResult[]> {
  const outcomes = new Array<CheckOutcome | undefined>(checks.length);
  const results: ConformanceResult[] = [];
  const ledger = new FaultLedger(checks);
  const settleReady = (): void => {
    for (let outcome = outcomes[results.length]; outcome !== undefined; outcome = outcomes[results.length]) {
      const check = checks[results.length] as ConformanceCheck;
      const result = { id: check.id, rule: check.rule, ...ledger.settle(check.id, outcome) };
      results.push(result);
      onResult?.(result, { done: results.length, total: checks.length });
    }
  };
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < checks.length) {
      const index = next++;
      outcomes[index] = await runOne(checks[index] as ConformanceCheck, context);
      settleReady();
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, checks.length) }, worker));
  return results;
}

async function runOne(check: ConformanceCheck, context: CheckContext): Promise<CheckOutcome> {
  try {
    return await check.run(context);
  } catch (error) {
    // Checks of this kit never throw; a user's own check may, and fails alone.
    return { status: 'fail', detail: `the check threw: ${error instanceof Error ? error.message : String(error)}` };
  }
}

function validated(
  options: ConformanceOptions,
): Required<Omit<ConformanceOptions, 'headers' | 'dispatcher' | 'checks' | 'onResult' | 'transport'>> {
  const invalid = (message: string, cause?: unknown): ConformanceError =>
    new ConformanceError(ConformanceErrorCode.InvalidOptions, message, { cause });
  let url: URL;
  try {
    url = new URL(options.url);
  } catch (error) {
    throw invalid(`url ${JSON.stringify(options.url)} is not a URL`, error);
  }
  if (options.transport === undefined && url.protocol !== 'http:' && url.protocol !== 'https:')
    throw invalid(`url ${options.url} is not http(s)`);
  const echoEvent = options.echoEvent ?? 'conformance:echo';
  if (echoEvent === '') throw invalid('echoEvent must be a non-empty name');
  const echoVersion = options.echoVersion ?? 1;
  if (!Number.isSafeInteger(echoVersion) || echoVersion < 1)
    throw invalid(`echoVersion must be an integer ≥ 1, got ${echoVersion}`);
  const timeoutMs = options.timeoutMs ?? 5000;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0)
    throw invalid(`timeoutMs must be a positive number, got ${timeoutMs}`);
  const concurrency = options.concurrency ?? 4;
  if (!Number.isSafeInteger(concurrency) || concurrency < 1)
    throw invalid(`concurrency must be an integer ≥ 1, got ${concurrency}`);
  return { url: options.url, echoEvent, echoVersion, timeoutMs, concurrency };
}
