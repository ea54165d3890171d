import { HttpEgress, type EgressResponse } from '@events-protocol/client/egress';
import type { Dispatcher } from 'undici';
import { cloudEventHeaders, toCloudEvent } from '../cloudevents.js';
import { PublishError, PublishErrorCode } from '../publish-error.js';
import { checkHeaders, checkPublishOptions, isHeaderName, isHeaderValue } from '../check-publish-options.js';
import { serializeEvent, serializeValue } from '../serialize-event.js';
import { SinkLifecycle } from '../sink-lifecycle.js';
import type { DeliveryReport, PublishedEvent, PublishOptions, Sink } from '../sink.js';
import { httpDeliveryOutcome } from './http-delivery-outcome.js';
import { publishErrorOfEgress } from './egress-publish-error.js';
import { responseExcerpt } from '../response-excerpt.js';
import {
  asInvalidOptions,
  defaultMaxResponseBytes,
  readHealthCheck,
  readHttpTimeouts,
  readHttpUrl,
  type HttpHealthCheck,
  type HttpTimeouts,
} from './http-sink-settings.js';

/** Credentials an {@link HttpSink} sends. */
export type HttpSinkAuth = { type: 'basic'; username: string; password: string } | { type: 'bearer'; token: string };

/** How an {@link HttpSink} posts. */
export interface HttpSinkOptions {
  /** The target URL (http or https). */
  url: string;
  /** Per request: one number for connect and response, or a pair; 10 s each by default. */
  timeouts?: HttpTimeouts;
  /** @deprecated The old name of `timeouts`; give one of them. */
  timeout?: HttpTimeouts;
  /**
   * The most bytes of an answer read, 64 KiB by default. Past it the read stops and the connection
   * is closed instead of reading on; the delivery's outcome is still its status (a 2xx answer is
   * delivered), only the excerpt is cut. Up to it, the answer is read to its end and dropped (all
   * but a 2 KiB excerpt), so the connection is kept alive.
   */
  maxResponseBytes?: number;
  /**
   * What {@link HttpSink.healthCheck} asks: by default (`false`) nothing is sent and the sink is
   * healthy while it is not closed, because a target URL takes events, not probes. `'target'`
   * sends `HEAD` to the target URL (healthy below 500); `{ url }` sends `GET` to a health URL of
   * the target's (healthy on 2xx).
   */
  healthCheck?: HttpHealthCheck;
  auth?: HttpSinkAuth;
  /** Headers sent with every event. */
  headers?: Record<string, string>;
  /**
   * Send CloudEvents instead of our event JSON: `structured` (`application/cloudevents+json`) or
   * `binary` (`ce-*` headers, the payload as body). `source` is the CloudEvents `source`.
   */
  cloudEvents?: { mode: 'structured' | 'binary'; source: string };
  /** An undici dispatcher to send through (not closed by the sink). */
  dispatcher?: Dispatcher;
  /** A name for logs and health reports; the URL's origin by default. */
  name?: string;
  /**
   * Send the event's `identity`; off by default (it goes out as `{}`). The event's `auth` never
   * leaves through this sink. CloudEvents carry no identity, so this cannot go with `cloudEvents`.
   */
  includeIdentity?: boolean;
}

/** The prefix of headers that carry attributes: `x-event-attribute-<key>`. */
export const attributeHeaderPrefix = 'x-event-attribute-';

/**
 * POSTs each event as JSON to a URL over a keep-alive pool. A 2xx status is success and resolves
 * a {@link DeliveryReport} (the status and the start of the answer); anything else is a `REJECTED`
 * failure carrying `status`, `responseExcerpt` and, on 429 and 503, `retryAfterMs` from the
 * answer's `Retry-After`. Attributes travel as `x-event-attribute-<key>` headers, the topic as
 * `x-event-topic`.
 */
export class HttpSink implements Sink {
  readonly name: string;
  readonly #url: URL;
  readonly #egress: HttpEgress;
  readonly #health: { url: URL; method: 'HEAD' | 'GET' } | undefined;
  readonly #headers: Record<string, string>;
  readonly #cloudEvents: HttpSinkOptions['cloudEvents'];
  readonly #includeIdentity: boolean;
  readonly #lifecycle: SinkLifecycle;

  /** @throws {PublishError} `INVALID_OPTIONS` for a URL that is not http(s), a bad timeout, limit or header. */
  constructor(options: HttpSinkOptions) {
    const url = readHttpUrl(options.url);
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- the old name is still read
    const timeouts = readHttpTimeouts(options.timeouts, options.timeout);
    this.#url = url;
    this.#health = readHealthCheck(options.healthCheck, url);
    this.#cloudEvents = options.cloudEvents;
    const headers: Record<string, string> = { ...options.headers };
    if (options.auth?.type === 'basic') {
      headers['authorization'] =
        `Basic ${Buffer.from(`${options.auth.username}:${options.auth.password}`).toString('base64')}`;
    } else if (options.auth?.type === 'bearer') {
      headers['authorization'] = `Bearer ${options.auth.token}`;
    }
    for (const [name, value] of Object.entries(headers)) {
      if (!isHeaderName(name) || !isHeaderValue(value)) {
        throw new PublishError(PublishErrorCode.InvalidOptions, `header '${name}' cannot be sent over HTTP (CR, LF…)`);
      }
    }
    if (options.includeIdentity === true && options.cloudEvents !== undefined) {
      throw new PublishError(
        PublishErrorCode.InvalidOptions,
        'a CloudEvent carries no identity: give includeIdentity or cloudEvents',
      );
    }
    this.#includeIdentity = options.includeIdentity === true;
    this.#headers = headers;
    this.name = options.name ?? `http:${url.origin}`;
    this.#lifecycle = new SinkLifecycle(this.name);
    // Made last, once every option is known to be good, so a refused sink leaves no pool behind.
    try {
      this.#egress = new HttpEgress({
        timeouts,
        maxResponseBytes: options.maxResponseBytes ?? defaultMaxResponseBytes,
        dispatcher: options.dispatcher,
      });
    } catch (error) {
      throw asInvalidOptions(error);
    }
  }

  async publish(event: PublishedEvent, options: PublishOptions = {}): Promise<DeliveryReport> {
    this.#lifecycle.assertOpen();
    checkPublishOptions(options, this.name);
    const headers: Record<string, string> = { ...this.#headers };
    for (const [key, value] of Object.entries(options.attributes ?? {}))
      headers[`${attributeHeaderPrefix}${key.toLowerCase()}`] = value;
    if (options.topic !== undefined) headers['x-event-topic'] = options.topic;
    const body = this.#body(event, options, headers);
    checkHeaders(headers, this.name);
    let response: EgressResponse;
    try {
      response = await this.#egress.send({
        url: this.#url,
        method: 'POST',
        headers,
        body,
        signal: options.signal,
        overflow: 'truncate',
      });
    } catch (error) {
      throw publishErrorOfEgress(error, this.name);
    }
    const answer = {
      status: response.status,
      excerpt: responseExcerpt(response.body),
      retryAfterMs: response.retryAfterMs,
    };
    const outcome = httpDeliveryOutcome(answer, this.name);
    if (outcome instanceof PublishError) throw outcome;
    return outcome;
  }

  /** The body of one event, its content headers added to `headers`. */
  #body(event: PublishedEvent, options: PublishOptions, headers: Record<string, string>): string {
    if (this.#cloudEvents === undefined) {
      headers['content-type'] = 'application/json';
      return serializeEvent(event, this.name, { identity: this.#includeIdentity });
    }
    const structured = this.#cloudEvents.mode === 'structured';
    // The payload is written once, first, so its refusals name `payload…` as every sink's do.
    const data =
      structured && event.payload === undefined ? undefined : serializeValue(event.payload, this.name, ['payload']);
    const subject = options.topic === undefined ? {} : { subject: options.topic };
    const cloudEvent = toCloudEvent(event, { source: this.#cloudEvents.source, ...subject });
    if (!structured) {
      Object.assign(headers, cloudEventHeaders(cloudEvent));
      return data ?? '';
    }
    const { data: _data, ...attributes } = cloudEvent;
    const text = serializeValue(attributes, this.name);
    headers['content-type'] = 'application/cloudevents+json';
    return data === undefined ? text : `${text.slice(0, -1)},"data":${data}}`;
  }

  /**
   * Healthy while not closed, without a request, unless `healthCheck` asks for one: then healthy
   * when the target answers `HEAD` below 500 (`'target'`), or the health URL answers `GET` with 2xx.
   */
  async healthCheck(): Promise<boolean> {
    if (this.#lifecycle.closed) return false;
    if (this.#health === undefined) return true;
    try {
      const answer = await this.#egress.send({ ...this.#health, overflow: 'truncate' });
      return this.#health.method === 'HEAD' ? answer.status < 500 : answer.status >= 200 && answer.status <= 299;
    } catch {
      return false;
    }
  }

  /** Waits for publishes under way, then closes the pool (not a dispatcher it was given); later publishes reject with `CLOSED`. */
  close(): Promise<void> {
    return this.#lifecycle.close(async () => {
      await this.#egress.close();
    });
  }
}
