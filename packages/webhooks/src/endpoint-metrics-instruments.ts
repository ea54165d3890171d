import { registerGaugeBatch, type DeliveryMetricsRegistration, type GaugeMeter } from '@events-protocol/outbox';
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
export type EndpointMeter = GaugeMeter;

const names = OpenTelemetryEndpointMetricNames;

/** Creates the endpoint gauges in `meter`, each collection reading the endpoints once. */
export function registerEndpointInstruments(
  meter: EndpointMeter,
  read: () => Promise<EndpointsReading>,
): DeliveryMetricsRegistration {
  return registerGaugeBatch(
    meter,
    {
      up: { name: names.up, description: 'Whether the subscriptions could be read.', unit: '1' },
      endpoints: { name: names.endpoints, description: 'Webhook endpoints per state.', unit: '{endpoint}' },
      state: { name: names.state, description: 'The state of each endpoint.', unit: '1' },
      successRatio: { name: names.successRatio, description: 'Share of counted attempts that delivered.', unit: '1' },
      failures: {
        name: names.consecutiveFailures,
        description: 'Failed attempts since the last delivered one.',
        unit: '{attempt}',
      },
    },
    async (result, gauge) => {
      const reading = await read();
      result.observe(gauge.up, reading.up ? 1 : 0);
      if (!reading.up) return;
      for (const each of endpointStates) {
        result.observe(gauge.endpoints, reading.byState.get(each) ?? 0, { 'webhooks.endpoint.state': each });
      }
      for (const endpoint of reading.endpoints) {
        const id = { 'webhooks.subscription.id': endpoint.subscriptionId };
        for (const each of endpointStates) {
          result.observe(gauge.state, endpoint.state === each ? 1 : 0, { ...id, 'webhooks.endpoint.state': each });
        }
        if (endpoint.successRate !== undefined) result.observe(gauge.successRatio, endpoint.successRate, id);
        result.observe(gauge.failures, endpoint.consecutiveFailures, id);
      }
    },
  );
}
