import type {
  DeliveryBatchCallback,
  DeliveryBatchResult,
  DeliveryMeter,
  DeliveryMetricsRegistration,
  DeliveryObservable,
} from './open-telemetry-delivery-metrics.js';

/** The part of an OpenTelemetry `Meter` that observable gauges need. */
export type GaugeMeter = Pick<
  DeliveryMeter,
  'createObservableGauge' | 'addBatchObservableCallback' | 'removeBatchObservableCallback'
>;

/** One gauge to create: its instrument name, description and unit. */
export interface GaugeDefinition {
  readonly name: string;
  readonly description: string;
  readonly unit: string;
}

/**
 * Creates a set of observable gauges in `meter` and one batch callback that fills them all from
 * one read per collection (`observe` gets the gauges by the keys of `definitions`); the returned
 * registration removes the callback. The one way delivery and endpoint metrics observe gauges.
 */
export function registerGaugeBatch<TKey extends string>(
  meter: GaugeMeter,
  definitions: Readonly<Record<TKey, GaugeDefinition>>,
  observe: (result: DeliveryBatchResult, gauges: Readonly<Record<TKey, DeliveryObservable>>) => void | Promise<void>,
): DeliveryMetricsRegistration {
  const gauges = {} as Record<TKey, DeliveryObservable>;
  for (const key of Object.keys(definitions) as TKey[]) {
    const { name, description, unit } = definitions[key];
    gauges[key] = meter.createObservableGauge(name, { description, unit });
  }
  const observables = Object.values<DeliveryObservable>(gauges);
  const callback: DeliveryBatchCallback = (result) => observe(result, gauges);
  meter.addBatchObservableCallback(callback, observables);
  return {
    unregister() {
      meter.removeBatchObservableCallback(callback, observables);
    },
  };
}
