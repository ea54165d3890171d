import type { DeliveryMetricsRegistration } from '@events-protocol/outbox';
import type { EndpointView } from './endpoint-health-view.js';
import { registerEndpointInstruments, type EndpointMeter } from './endpoint-metrics-instruments.js';
import { endpointsReadingOf, type EndpointsReading } from './endpoint-metrics-reading.js';
import { endpointMetricsText } from './endpoint-metrics-text.js';
import { WebhookError, WebhookErrorCode } from './webhook-error.js';
import type { WebhookLogger } from './webhook-logger.js';

/** Where endpoint metrics read endpoints: a `WebhookSubscriptions`. */
export interface EndpointMetricsSource {
  listEndpoints(): Promise<readonly EndpointView[]>;
}

/** How a {@link WebhookEndpointMetrics} reads and labels. */
export interface EndpointMetricsOptions {
  /**
   * Endpoints labelled one by one, the oldest first (1,000); the others are counted per state
   * only. Each labelled endpoint costs 8 series (4 states, success ratio, consecutive failures,
   * 2 attempt counters) labelled by subscription id; 0 exports the per-state counts only.
   */
  maxEndpoints?: number;
  /** A read that takes longer reports `webhook_endpoints_up 0`, in ms (5,000). */
  timeoutMs?: number;
  /** A pino-compatible logger for reads that fail (at `error`); silent by default. */
  logger?: WebhookLogger;
}

/**
 * Metrics of webhook endpoints, read from the subscriptions and their health at scrape time:
 * each endpoint's state (`active`, `failing`, `disabled`, `paused`) and success rate, its
 * consecutive failures, its counted attempts, and the endpoints per state. Exported as Prometheus
 * text ({@link toPrometheusText}) and as OpenTelemetry gauges ({@link registerIn}). A store that
 * fails is reported as `webhook_endpoints_up 0`, never thrown.
 *
 * @example
 * const endpoints = new WebhookEndpointMetrics(subscriptions);
 * const scrape = new PrometheusScrape([deliveryMetrics, endpoints]);
 * app.get('/metrics', async (_req, res) => res.type(scrape.contentType).send(await scrape.metrics()));
 */
export class WebhookEndpointMetrics {
  readonly #source: EndpointMetricsSource;
  readonly #maxEndpoints: number;
  readonly #timeoutMs: number;
  readonly #logger: WebhookLogger | undefined;

  /** @throws {WebhookError} `INVALID_OPTIONS` for a negative `maxEndpoints` or a non-positive `timeoutMs`. */
  constructor(source: EndpointMetricsSource, options: EndpointMetricsOptions = {}) {
    this.#source = source;
    this.#maxEndpoints = options.maxEndpoints ?? 1000;
    this.#timeoutMs = options.timeoutMs ?? 5000;
    if (!Number.isSafeInteger(this.#maxEndpoints) || this.#maxEndpoints < 0) {
      throw new WebhookError(
        WebhookErrorCode.InvalidOptions,
        `maxEndpoints must be an integer ≥ 0, got ${String(options.maxEndpoints)}`,
      );
    }
    if (!(this.#timeoutMs > 0)) {
      throw new WebhookError(
        WebhookErrorCode.InvalidOptions,
        `timeoutMs must be positive, got ${String(options.timeoutMs)}`,
      );
    }
    this.#logger = options.logger;
  }

  /** Reads every endpoint now; a failed or hung read is `{ up: false }` (and logged). */
  async read(): Promise<EndpointsReading> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.#timeoutMs} ms`)), this.#timeoutMs);
      timer.unref();
    });
    try {
      return endpointsReadingOf(await Promise.race([this.#source.listEndpoints(), timeout]), this.#maxEndpoints);
    } catch (error) {
      this.#logger?.error({ err: error }, 'webhook endpoint metrics could not read the endpoints');
      return { up: false };
    } finally {
      clearTimeout(timer);
    }
  }

  /** The endpoint metrics in the Prometheus text exposition format (version 0.0.4). */
  async toPrometheusText(): Promise<string> {
    return endpointMetricsText(await this.read());
  }

  /**
   * Observes the endpoint gauges through `meter` (a meter of your `@opentelemetry/api`), reading
   * the endpoints once per collection.
   */
  registerIn(meter: EndpointMeter): DeliveryMetricsRegistration {
    return registerEndpointInstruments(meter, () => this.read());
  }
}
