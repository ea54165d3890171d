import { createRequire } from 'node:module';
import type * as SdkMetrics from '@opentelemetry/sdk-metrics';
import { expect } from 'vitest';

/** The real OpenTelemetry metrics SDK, loaded as Node loads it for an application (its CommonJS export). */
export const metricsSdk = createRequire(import.meta.url)('@opentelemetry/sdk-metrics') as typeof SdkMetrics;

/** What {@link CollectingReader.byName} checks of every instrumentation scope it reads. */
export interface ExpectedScope {
  readonly name: string;
  /** A pattern the scope's version must match, when the scope must carry one. */
  readonly version?: RegExp;
}

/**
 * A metric reader the test collects from when it wants: what an exporter would be sent at that
 * moment. Every collection must end without errors, and every scope read match `scope` when
 * one is given.
 */
export class CollectingReader extends metricsSdk.MetricReader {
  readonly #scope: ExpectedScope | undefined;

  constructor(scope?: ExpectedScope) {
    super();
    this.#scope = scope;
  }

  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }

  /** The metrics recorded so far, by instrument name. */
  async byName(): Promise<Map<string, SdkMetrics.MetricData>> {
    const scope = this.#scope;
    const { resourceMetrics, errors } = await this.collect();
    expect(errors).toEqual([]);
    const found = new Map<string, SdkMetrics.MetricData>();
    for (const each of resourceMetrics.scopeMetrics) {
      if (scope !== undefined) expect(each.scope.name).toBe(scope.name);
      if (scope?.version !== undefined) expect(each.scope.version).toMatch(scope.version);
      for (const metric of each.metrics) found.set(metric.descriptor.name, metric);
    }
    return found;
  }

  /** The data points of the instrument `name` (none when it recorded nothing), values as numbers. */
  async points(name: string): Promise<{ attributes: Record<string, unknown>; value: number }[]> {
    const metric = (await this.byName()).get(name);
    return (metric?.dataPoints ?? []).map(({ attributes, value }) => ({ attributes, value: value as number }));
  }
}
