import { isPublishError, PublishError, PublishErrorCode } from '../publish-error.js';
import { SinkLifecycle } from '../sink-lifecycle.js';
import { responseExcerpt } from '../response-excerpt.js';
import type { DeliveryReport, PublishedEvent, PublishOptions, Sink } from '../sink.js';

/**
 * What a {@link CompositeSink} requires: `all` sinks to take the event (the default), or `any`
 * one of them.
 */
export type CompositePolicy = 'all' | 'any';

function asPublishError(error: unknown, sink: Sink): PublishError {
  return isPublishError(error)
    ? error
    : new PublishError(
        PublishErrorCode.Unreachable,
        `${sink.name}: ${(error as Error | undefined)?.message ?? String(error)}`,
        {
          cause: error,
          sink: sink.name,
        },
      );
}

/** One sink's part of a composite's report: `<sink>: <status> <excerpt>`. */
function reportLine(sink: string, report: DeliveryReport): string {
  return [`${sink}:`, report.status, report.responseExcerpt]
    .filter((part) => part !== undefined && part !== '')
    .join(' ');
}

/**
 * The report of several sinks' deliveries: the status they all reported (none when they differ)
 * and one line per reporting sink as the excerpt. `undefined` when none reported anything.
 */
function combinedReport(
  reports: readonly (readonly [sink: string, report: DeliveryReport])[],
): DeliveryReport | undefined {
  if (reports.length === 0) return undefined;
  const statuses = new Set(reports.map(([, report]) => report.status));
  const [status] = statuses;
  const lines = reports.map(([sink, report]) => reportLine(sink, report)).join('\n');
  return {
    ...(statuses.size === 1 && status !== undefined ? { status } : {}),
    responseExcerpt: responseExcerpt(lines),
  };
}

/** What a failure tells of its answer, as a report line's parts; nothing when no answer came. */
function failureReport(failure: PublishError): [string, DeliveryReport][] {
  const { status, responseExcerpt: excerpt } = failure;
  if (status === undefined && excerpt === undefined) return [];
  return [
    [
      failure.sink ?? 'sink',
      { ...(status === undefined ? {} : { status }), ...(excerpt === undefined ? {} : { responseExcerpt: excerpt }) },
    ],
  ];
}

/** The longest wait any failure asked for: the composite is retried as a whole. */
function longestRetryAfter(failures: readonly PublishError[]): number | undefined {
  const waits = failures.flatMap((failure) => (failure.retryAfterMs === undefined ? [] : [failure.retryAfterMs]));
  return waits.length === 0 ? undefined : Math.max(...waits);
}

/**
 * Publishes each event to several sinks at once (fan-out). Every sink is tried, whatever the
 * others do. Policy `all` (default): resolves only when every sink took the event; otherwise
 * rejects with `PARTIAL_FAILURE` listing each failing sink in `failures`, so the caller knows the
 * event is not everywhere and can retry it; sinks that succeeded then see it again, which
 * consumers absorb by deduplicating on the event id. Policy `any`: resolves when at least one sink
 * took it, and rejects only when all failed.
 *
 * Reports: with one sink, its report as it is; with several, the status they all reported and a
 * line `<sink>: <status> <excerpt>` per sink that reported, cut at 2 KiB. A `PARTIAL_FAILURE`
 * carries such lines of the failures as its excerpt, and the longest `retryAfterMs` any asked for.
 */
export class CompositeSink implements Sink {
  readonly name: string;
  readonly sinks: readonly Sink[];
  readonly #policy: CompositePolicy;
  readonly #lifecycle: SinkLifecycle;

  constructor(sinks: readonly Sink[], options: { policy?: CompositePolicy; name?: string } = {}) {
    if (sinks.length === 0)
      throw new PublishError(PublishErrorCode.InvalidOptions, 'a composite needs at least one sink');
    this.sinks = [...sinks];
    this.#policy = options.policy ?? 'all';
    this.name = options.name ?? `composite(${sinks.map((sink) => sink.name).join(', ')})`;
    this.#lifecycle = new SinkLifecycle(this.name);
  }

  async publish(event: PublishedEvent, options?: PublishOptions): Promise<DeliveryReport | undefined> {
    this.#lifecycle.assertOpen();
    const outcomes = await Promise.allSettled(this.sinks.map((sink) => sink.publish(event, options)));
    const failures: PublishError[] = [];
    const reports: [string, DeliveryReport][] = [];
    for (const [index, outcome] of outcomes.entries()) {
      const sink = this.sinks[index] as Sink;
      if (outcome.status === 'rejected') failures.push(asPublishError(outcome.reason, sink));
      else if (outcome.value !== undefined) reports.push([sink.name, outcome.value]);
    }
    const tolerated = this.#policy === 'any' ? failures.length < this.sinks.length : failures.length === 0;
    if (tolerated) return this.sinks.length === 1 ? reports[0]?.[1] : combinedReport(reports);
    const failed = combinedReport(failures.flatMap(failureReport));
    throw new PublishError(
      PublishErrorCode.PartialFailure,
      `${this.name}: ${failures.length} of ${this.sinks.length} sinks failed: ${failures.map((failure) => failure.message).join('; ')}`,
      {
        failures,
        sink: this.name,
        responseExcerpt: failed?.responseExcerpt,
        retryAfterMs: longestRetryAfter(failures),
      },
    );
  }

  /** Healthy when every sink is (`all`) or one is (`any`). */
  async healthCheck(): Promise<boolean> {
    const healthy = await Promise.all(this.sinks.map((sink) => sink.healthCheck().catch(() => false)));
    return this.#policy === 'any' ? healthy.some(Boolean) : healthy.every(Boolean);
  }

  /** Closes every sink once; later publishes reject with `CLOSED`. */
  close(): Promise<void> {
    return this.#lifecycle.close(async () => {
      await Promise.all(this.sinks.map(async (sink) => sink.close?.()));
    });
  }
}
