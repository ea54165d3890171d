import { Agent, type Dispatcher } from 'undici';
import { cloudEventHeaders, toCloudEvent } from '../cloudevents.js';
import { PublishError, PublishErrorCode } from '../publish-error.js';
import { checkHeaders, checkPublishOptions, isHeaderName, isHeaderValue } from '../check-publish-options.js';
import { serializeEvent, serializeValue } from '../serialize-event.js';
import { SinkLifecycle } from '../sink-lifecycle.js';
import type { PublishedEvent, PublishOptions, Sink } from '../sink.js';

/** Credentials an {@link HttpSink} sends. */
export type HttpSinkAuth = { type: 'basic'; username: string; password: string } | { type: 'bearer'; token: string };

/** How an {@link HttpSink} posts. */
export interface HttpSinkOptions {
  /** The target URL (http or https). */
  url: string;
  /** Per request: one number for connect and response, or a pair; 10 s by default. */
  timeouts?: number | { connectMs: number; responseMs: number };
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

const maxExcerpt = 2048;

function timeoutsOf(option: HttpSinkOptions['timeouts']): { connectMs: number; responseMs: number } {
  const value = option ?? 10_000;
  return typeof value === 'number' ? { connectMs: value, responseMs: value } : value;
}

/**
 * POSTs each event as JSON to a URL over a keep-alive pool. A 2xx status is success; anything
 * else is a `REJECTED` failure carrying the status and the start of the body. Attributes travel
 * as `x-event-attribute-<key>` headers, the topic as `x-event-topic`.
 */
export class HttpSink implements Sink {
  readonly name: string;
  readonly #url: URL;
  readonly #dispatcher: Dispatcher;
  readonly #ownsDispatcher: boolean;
  readonly #responseMs: number;
  readonly #headers: Record<string, string>;
  readonly #cloudEvents: HttpSinkOptions['cloudEvents'];
  readonly #includeIdentity: boolean;
  readonly #lifecycle: SinkLifecycle;

  constructor(options: HttpSinkOptions) {
    let url: URL;
    try {
      url = new URL(options.url);
    } catch (error) {
      throw new PublishError(PublishErrorCode.InvalidOptions, `not a URL: ${options.url}`, { cause: error });
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new PublishError(PublishErrorCode.InvalidOptions, `the URL must be http(s), got ${url.protocol}`);
    }
    const { connectMs, responseMs } = timeoutsOf(options.timeouts);
    this.#url = url;
    this.#responseMs = responseMs;
    this.#ownsDispatcher = options.dispatcher === undefined;
    this.#dispatcher = options.dispatcher ?? new Agent({ connect: { timeout: connectMs } });
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
  }

  async publish(event: PublishedEvent, options: PublishOptions = {}): Promise<void> {
    this.#lifecycle.assertOpen();
    checkPublishOptions(options, this.name);
    const headers: Record<string, string> = { ...this.#headers };
    for (const [key, value] of Object.entries(options.attributes ?? {}))
      headers[`${attributeHeaderPrefix}${key.toLowerCase()}`] = value;
    if (options.topic !== undefined) headers['x-event-topic'] = options.topic;
    let body: string;
    if (this.#cloudEvents === undefined) {
      body = serializeEvent(event, this.name, { identity: this.#includeIdentity });
      headers['content-type'] = 'application/json';
    } else {
      const structured = this.#cloudEvents.mode === 'structured';
      // The payload is written once, first, so its refusals name `payload…` as every sink's do.
      const data =
        structured && event.payload === undefined ? undefined : serializeValue(event.payload, this.name, ['payload']);
      const subject = options.topic === undefined ? {} : { subject: options.topic };
      const cloudEvent = toCloudEvent(event, { source: this.#cloudEvents.source, ...subject });
      if (structured) {
        const { data: _data, ...attributes } = cloudEvent;
        const text = serializeValue(attributes, this.name);
        body = data === undefined ? text : `${text.slice(0, -1)},"data":${data}}`;
        headers['content-type'] = 'application/cloudevents+json';
      } else {
        body = data ?? '';
        Object.assign(headers, cloudEventHeaders(cloudEvent));
      }
    }
    checkHeaders(headers, this.name);
    let response: Dispatcher.ResponseData;
    try {
      const request: Dispatcher.RequestOptions = {
        origin: this.#url.origin,
        path: `${this.#url.pathname}${this.#url.search}`,
        method: 'POST',
        headers,
        body,
        headersTimeout: this.#responseMs,
        bodyTimeout: this.#responseMs,
      };
      if (options.signal !== undefined) request.signal = options.signal;
      response = await this.#dispatcher.request(request);
    } catch (error) {
      throw this.#transportError(error, options.signal);
    }
    let text: string;
    try {
      text = await response.body.text();
    } catch (error) {
      throw this.#transportError(error, options.signal);
    }
    if (response.statusCode < 200 || response.statusCode > 299) {
      throw new PublishError(
        PublishErrorCode.Rejected,
        `${this.name} answered HTTP ${response.statusCode}: ${text.slice(0, maxExcerpt)}`,
        { sink: this.name, cause: { status: response.statusCode, body: text.slice(0, maxExcerpt) } },
      );
    }
  }

  /** Healthy when the target's origin accepts a connection and answers anything below 500 to `HEAD`. */
  async healthCheck(): Promise<boolean> {
    try {
      const response = await this.#dispatcher.request({
        origin: this.#url.origin,
        path: this.#url.pathname,
        method: 'HEAD',
        headersTimeout: this.#responseMs,
        bodyTimeout: this.#responseMs,
      });
      await response.body.dump();
      return response.statusCode < 500;
    } catch {
      return false;
    }
  }

  /** Waits for publishes under way, then closes the pool (not a dispatcher it was given); later publishes reject with `CLOSED`. */
  close(): Promise<void> {
    return this.#lifecycle.close(async () => {
      if (this.#ownsDispatcher) await this.#dispatcher.close();
    });
  }

  #transportError(error: unknown, signal: AbortSignal | undefined): PublishError {
    const code = (error as { code?: unknown } | null)?.code;
    if (signal?.aborted === true) {
      return new PublishError(PublishErrorCode.Aborted, `${this.name}: publish cancelled`, {
        cause: error,
        sink: this.name,
      });
    }
    if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
      return new PublishError(PublishErrorCode.Timeout, `${this.name}: no answer within ${this.#responseMs} ms`, {
        cause: error,
        sink: this.name,
      });
    }
    return new PublishError(PublishErrorCode.Unreachable, `${this.name}: ${(error as Error).message}`, {
      cause: error,
      sink: this.name,
    });
  }
}
