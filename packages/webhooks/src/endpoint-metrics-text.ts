import { endpointStates, type EndpointsReading } from './endpoint-metrics-reading.js';

function quoted(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

function header(lines: string[], name: string, type: 'gauge' | 'counter', help: string): void {
  lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
}

/**
 * Webhook endpoint metrics in the Prometheus text exposition format (version 0.0.4). When the
 * subscriptions could not be read, only `webhook_endpoints_up 0` carries a value.
 */
export function endpointMetricsText(reading: EndpointsReading): string {
  const lines: string[] = [];
  header(
    lines,
    'webhook_endpoints_up',
    'gauge',
    'Whether the subscriptions and their health could be read (1) or not (0).',
  );
  lines.push(`webhook_endpoints_up ${reading.up ? 1 : 0}`);
  const endpoints = reading.up ? reading.endpoints : [];
  header(lines, 'webhook_endpoints', 'gauge', 'Webhook endpoints (subscriptions) per state.');
  if (reading.up)
    for (const state of endpointStates)
      lines.push(`webhook_endpoints{state="${state}"} ${reading.byState.get(state) ?? 0}`);
  header(
    lines,
    'webhook_endpoints_unlabelled',
    'gauge',
    'Endpoints past maxEndpoints: counted per state, not labelled one by one.',
  );
  if (reading.up) lines.push(`webhook_endpoints_unlabelled ${reading.omitted}`);
  header(lines, 'webhook_endpoint_state', 'gauge', 'The state of each endpoint: 1 for its state, 0 for the others.');
  for (const endpoint of endpoints) {
    const subscription = quoted(endpoint.subscriptionId);
    for (const state of endpointStates) {
      lines.push(
        `webhook_endpoint_state{subscription=${subscription},state="${state}"} ${endpoint.state === state ? 1 : 0}`,
      );
    }
  }
  header(
    lines,
    'webhook_endpoint_success_ratio',
    'gauge',
    'Share of counted attempts that delivered, since created or re-enabled.',
  );
  for (const endpoint of endpoints) {
    if (endpoint.successRate !== undefined) {
      lines.push(
        `webhook_endpoint_success_ratio{subscription=${quoted(endpoint.subscriptionId)}} ${endpoint.successRate}`,
      );
    }
  }
  header(lines, 'webhook_endpoint_consecutive_failures', 'gauge', 'Failed attempts since the last delivered one.');
  for (const endpoint of endpoints) {
    lines.push(
      `webhook_endpoint_consecutive_failures{subscription=${quoted(endpoint.subscriptionId)}} ${endpoint.consecutiveFailures}`,
    );
  }
  header(
    lines,
    'webhook_endpoint_attempts_total',
    'counter',
    'Counted attempts per endpoint and outcome (reset when re-enabled).',
  );
  for (const endpoint of endpoints) {
    const subscription = quoted(endpoint.subscriptionId);
    lines.push(
      `webhook_endpoint_attempts_total{subscription=${subscription},outcome="delivered"} ${endpoint.delivered}`,
    );
    lines.push(`webhook_endpoint_attempts_total{subscription=${subscription},outcome="failed"} ${endpoint.failed}`);
  }
  return `${lines.join('\n')}\n`;
}
