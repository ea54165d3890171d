import type { DeliveryBatchCallback, DeliveryMeter, DeliveryMetricsRegistration } from '@events-protocol/outbox';
import { endpointStates, type EndpointsReading } from './endpoint-metrics-reading.js';

/** The names of the OpenTelemetry instruments `WebhookEndpointMetrics.registerIn` creates. */
export const OpenTelemetryEndpointMetricNames = {
  /** Gauge: 1 when the subscriptions could be read, 0 when not. */
  up: 'webhooks.endpoints.up',
  /** Gauge: endpoints per `webhooks.endpoint.state`. */
  endpoints: 'webhooks.endpoints',
  /** Gauge: per `webhooks.subscription.id` and `webhooks.endpoint.state`, 1 for its state and 0 for the others. */
  state: 'webhooks.endpoint.state',
  /** Gauge, 0 to 1: share of counted attempts that delivered (absent before any). */
  successRatio: 'webhooks.endpoint.success_ratio',
  /** Gauge: failed attempts since the last delivered one. */
  consecutiveFailures: 'webhooks.endpoint.consecutive_failures',
} as const;

/** The part of an OpenTelemetry `Meter` endpoint metrics use: observable gauges only. */
export type EndpointMeter = Pick<
  DeliveryMeter,
  'createObservableGauge' | 'addBatchObservableCallback' | 'removeBatchObservableCallback'
>;

const names = OpenTelemetryEndpointMetricNames;

/** Creates the endpoint gauges in `meter`, each collection reading the endpoints once. */
export function registerEndpointInstruments(
  meter: EndpointMeter,
  read: () => Promise<EndpointsReading>,
): DeliveryMetricsRegistration {
  const up = meter.createObservableGauge(names.up, {
    description: 'Whether the subscriptions could be read.',
    unit: '1',
  });
  const endpoints = meter.createObservableGauge(names.endpoints, {
    description: 'Webhook endpoints per state.',
    unit: '{endpoint}',
  });
  const state = meter.createObservableGauge(names.state, { description: 'The state of each endpoint.', unit: '1' });
  const successRatio = meter.createObservableGauge(names.successRatio, {
    description: 'Share of counted attempts that delivered.',
    unit: '1',
  });
  const failures = meter.createObservableGauge(names.consecutiveFailures, {
    description: 'Failed attempts since the last delivered one.',
    unit: '{attempt}',
  });
  const observables = [up, endpoints, state, successRatio, failures];
  const callback: DeliveryBatchCallback = async (result) => {
    const reading = await read();
    result.observe(up, reading.up ? 1 : 0);
    if (!reading.up) return;
    for (const each of endpointStates) {
      result.observe(endpoints, reading.byState.get(each) ?? 0, { 'webhooks.endpoint.state': each });
    }
    for (const endpoint of reading.endpoints) {
      const id = { 'webhooks.subscription.id': endpoint.subscriptionId };
      for (const each of endpointStates) {
        result.observe(state, endpoint.state === each ? 1 : 0, { ...id, 'webhooks.endpoint.state': each });
      }
      if (endpoint.successRate !== undefined) result.observe(successRatio, endpoint.successRate, id);
      result.observe(failures, endpoint.consecutiveFailures, id);
    }
  };
  meter.addBatchObservableCallback(callback, observables);
  return {
    unregister() {
      meter.removeBatchObservableCallback(callback, observables);
    },
  };
}
