import type { Attributes, Counter, Histogram, MeterProvider } from '@opentelemetry/api';
import { clientPackageVersion, openTelemetryApi, type OpenTelemetryApi } from './open-telemetry.js';
import { CallMetricNames } from './call-metric-names.js';
import { outcomeName, type SendResult } from './send-result.js';

/** Call duration bounds in ms advised to the SDK: 1 ms to 10 s, as the server's. */
const durationBucketsMs = [1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000];

interface CallInstruments {
  readonly duration: Histogram;
  readonly calls: Counter;
}

/**
 * Records every call's duration and outcome through OpenTelemetry's global meter
 * (`@events-protocol/client`), with the attributes `events.name`, `events.version` and
 * `events.outcome` (`success`, `redirect`, the error type, `timeout`, `failedDependency`). One
 * comparison per call, and nothing else, until an SDK registers a meter provider.
 */
export class CallMetrics {
  readonly #api: OpenTelemetryApi;
  #provider: MeterProvider | undefined;
  #instruments: CallInstruments | undefined;

  constructor(api: OpenTelemetryApi) {
    this.#api = api;
  }

  /** Whether an SDK's meter provider is registered, so a call should be timed. */
  isMeasuring(): boolean {
    const provider = this.#api.metrics.getMeterProvider();
    if (provider !== this.#provider) this.#bind(provider);
    return this.#instruments !== undefined;
  }

  /** Records a call's outcome, timed from `startedMs` (`performance.now()`), and returns it. */
  record(result: SendResult, startedMs: number): SendResult {
    if (!this.isMeasuring()) return result;
    const instruments = this.#instruments as CallInstruments;
    const attributes: Attributes = {
      'events.name': result.request.name,
      'events.version': result.request.version,
      'events.outcome': outcomeName(result),
    };
    instruments.duration.record(performance.now() - startedMs, attributes);
    instruments.calls.add(1, attributes);
    return result;
  }

  #bind(provider: MeterProvider): void {
    this.#provider = provider;
    const meter = provider.getMeter('@events-protocol/client', clientPackageVersion());
    this.#instruments =
      meter === this.#api.createNoopMeter()
        ? undefined
        : {
            duration: meter.createHistogram(CallMetricNames.duration, {
              description: 'Time from sending an event to its outcome, retries included.',
              unit: 'ms',
              advice: { explicitBucketBoundaries: durationBucketsMs },
            }),
            calls: meter.createCounter(CallMetricNames.calls, {
              description: 'Calls by event name, version and outcome.',
              unit: '{call}',
            }),
          };
  }
}

/** The client's call metrics, or `undefined` when `@opentelemetry/api` is not installed (or in a browser). */
export function callMetrics(): CallMetrics | undefined {
  const api = openTelemetryApi();
  return api === undefined ? undefined : new CallMetrics(api);
}
