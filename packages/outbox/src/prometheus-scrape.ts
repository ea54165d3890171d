import { silentOutboxLogger, type OutboxLogger } from './outbox-logger.js';

/** The content type of the Prometheus text exposition format, version 0.0.4. */
export const prometheusContentType = 'text/plain; version=0.0.4; charset=utf-8';

/**
 * Anything that writes metrics in the Prometheus text format: a `DeliveryMetrics`, the webhooks'
 * `WebhookEndpointMetrics`, the server's `PrometheusEventMetrics` (`toPrometheusText()`), or a
 * prom-client `Registry` and another `PrometheusScrape` (`metrics()`).
 */
export type PrometheusTextSource =
  { toPrometheusText(): string | Promise<string> } | { metrics(): string | Promise<string> };

function textOf(source: PrometheusTextSource): string | Promise<string> {
  return 'toPrometheusText' in source ? source.toPrometheusText() : source.metrics();
}

/** How a {@link PrometheusScrape} reports a source that failed. */
export interface PrometheusScrapeOptions {
  /** A pino-compatible logger: a source that throws is logged at `error` and left out; silent by default. */
  logger?: OutboxLogger;
}

/**
 * One scrape endpoint for several metric sources: event metrics, delivery metrics and webhook
 * endpoint metrics in one text, as prom-client's `Registry` offers it (`contentType`,
 * `metrics()`). A source that throws is left out of that scrape (and logged), so one failing part
 * never empties the page. Each metric name must come from one source only.
 *
 * @example
 * const scrape = new PrometheusScrape([promClientRegister, eventMetrics, deliveryMetrics, endpointMetrics]);
 * app.get('/metrics', async (_req, res) => res.type(scrape.contentType).send(await scrape.metrics()));
 */
export class PrometheusScrape {
  /** The exposition format's content type, for the response's `Content-Type`. */
  readonly contentType = prometheusContentType;
  readonly #sources: readonly PrometheusTextSource[];
  readonly #logger: OutboxLogger;

  constructor(sources: readonly PrometheusTextSource[], options: PrometheusScrapeOptions = {}) {
    this.#sources = [...sources];
    this.#logger = options.logger ?? silentOutboxLogger();
  }

  /** Every source's text, in the order given, read at once. */
  async metrics(): Promise<string> {
    const texts = await Promise.all(
      this.#sources.map(async (source, index) => {
        try {
          const text = await textOf(source);
          return text === '' || text.endsWith('\n') ? text : `${text}\n`;
        } catch (error) {
          this.#logger.error({ err: error, source: index }, 'a metrics source failed; it is left out of this scrape');
          return '';
        }
      }),
    );
    return texts.join('');
  }
}
