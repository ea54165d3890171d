import type {
  Attributes,
  Counter,
  Histogram,
  MeterProvider,
  ObservableResult,
  ObservableUpDownCounter,
} from '@opentelemetry/api';
import type { EventMeasurement, EventMetrics } from './event-metrics.js';
import { openTelemetryApi, serverPackageVersion, type OpenTelemetryApi } from './open-telemetry.js';
import { defaultDurationBucketsMs } from './prometheus-event-metrics.js';

/** The names of the instruments {@link OpenTelemetryEventMetrics} records to. */
export const OpenTelemetryEventMetricNames = {
  /** Histogram, ms: from reading an event to its answer. */
  duration: 'events.server.duration',
  /** Counter: events answered. */
  answered: 'events.server.answered',
  /** Up-down counter (observed when read): events between being read and answered. */
  active: 'events.server.active_events',
} as const;

/** The instruments of one meter provider. */
interface EventInstruments {
  readonly duration: Histogram;
  readonly answered: Counter;
  readonly active: ObservableUpDownCounter;
}

/**
 * Records every answered event through OpenTelemetry's global meter
 * (`@events-protocol/server`): a duration histogram in ms (buckets advised as
 * {@link defaultDurationBucketsMs}), a counter of answers and an up-down counter of events in
 * flight, with the attributes `events.name`, `events.version` and `events.outcome` (the first two
 * absent for `badProtocol` and `eventNotFound`). Costs one comparison per event, and nothing else,
 * while `@opentelemetry/api` is missing or no SDK has registered a meter provider; it starts
 * recording when one is registered, later too.
 *
 * @example
 * const processor = new EventProcessor(registry, { metrics: new OpenTelemetryEventMetrics() });
 */
export class OpenTelemetryEventMetrics implements EventMetrics {
  readonly #api: OpenTelemetryApi | undefined = openTelemetryApi();
  #provider: MeterProvider | undefined;
  #instruments: EventInstruments | undefined;
  #active = 0;
  readonly #observeActive = (result: ObservableResult): void => {
    result.observe(this.#active);
  };

  /** Whether an SDK's meter provider is registered, so measurements are read. */
  isMeasuring(): boolean {
    const api = this.#api;
    if (api === undefined) return false;
    const provider = api.metrics.getMeterProvider();
    if (provider !== this.#provider) this.#bind(api, provider);
    return this.#instruments !== undefined;
  }

  /** Counts an event in flight. */
  startEvent(): void {
    this.#active++;
  }

  /** Records an answered event's duration and outcome. */
  recordEvent({ name, version, outcome, durationMs }: EventMeasurement): void {
    this.#active--;
    if (!this.isMeasuring()) return;
    const instruments = this.#instruments as EventInstruments;
    const attributes: Attributes =
      name === undefined
        ? { 'events.outcome': outcome }
        : { 'events.name': name, 'events.version': version, 'events.outcome': outcome };
    instruments.duration.record(durationMs, attributes);
    instruments.answered.add(1, attributes);
  }

  /** Makes the instruments of a newly registered provider (none for the API's no-op one). */
  #bind(api: OpenTelemetryApi, provider: MeterProvider): void {
    this.#instruments?.active.removeCallback(this.#observeActive);
    this.#provider = provider;
    const meter = provider.getMeter('@events-protocol/server', serverPackageVersion());
    if (meter === api.createNoopMeter()) {
      this.#instruments = undefined;
      return;
    }
    const active = meter.createObservableUpDownCounter(OpenTelemetryEventMetricNames.active, {
      description: 'Events read and not yet answered.',
      unit: '{event}',
    });
    active.addCallback(this.#observeActive);
    this.#instruments = {
      duration: meter.createHistogram(OpenTelemetryEventMetricNames.duration, {
        description: 'Time from reading an event to its answer.',
        unit: 'ms',
        advice: { explicitBucketBoundaries: [...defaultDurationBucketsMs] },
      }),
      answered: meter.createCounter(OpenTelemetryEventMetricNames.answered, {
        description: 'Events answered, by name, version and outcome.',
        unit: '{event}',
      }),
      active,
    };
  }
}
