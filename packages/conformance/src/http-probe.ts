import diagnosticsChannel from 'node:diagnostics_channel';
import { request, type Dispatcher } from 'undici';
import { classifyTransportError } from './transport-failure.js';

/** One raw POST the kit sends: any bytes, malformed on purpose where a check needs it. */
export interface ProbeRequest {
  /** The body, sent as is. */
  readonly body: string | Uint8Array;
  /** `application/json` unless given; the protocol's clients always send a JSON content type. */
  readonly contentType?: string;
  /** Another URL than the events route under test (the trailing-slash check). */
  readonly url?: string;
  /**
   * What kind of request this is, when several checks send the same kind (e.g. `unknown event`).
   * A missing answer to it is one fault: the first check in report order that meets it fails, and
   * later checks that fail only for that reason are reported as skipped.
   */
  readonly shape?: string;
}

/** What came back for a {@link ProbeRequest}: an HTTP answer, or why there was none. */
export type ProbeAnswer =
  | {
      readonly kind: 'answered';
      readonly status: number;
      readonly contentType: string | undefined;
      /** The body decoded as UTF-8, as the protocol requires. */
      readonly text: string;
      /** The request's {@link ProbeRequest.shape}. */
      readonly shape?: string;
    }
  | {
      /**
       * `unreachable`: no connection was made (refused, DNS, connect timeout). `no-answer`: the
       * server took the connection, then reset or closed it, sent an empty or cut reply, or was
       * too slow.
       */
      readonly kind: 'unreachable' | 'no-answer';
      readonly reason: string;
      /** The request's {@link ProbeRequest.shape}. */
      readonly shape?: string;
    };

/** How a probe reaches the server. */
export interface HttpProbeOptions {
  readonly url: string;
  readonly dispatcher: Dispatcher;
  /** Bounds each whole request, from connecting to the end of the answer's body. */
  readonly timeoutMs: number;
  /** Sent on every request (a gateway's API key, say); `content-type` is the kit's own. */
  readonly headers: Readonly<Record<string, string>>;
}

interface ConnectedMessage {
  readonly connectParams?: { readonly protocol?: string; readonly host?: string };
}

const connectedChannel = 'undici:client:connected';

/**
 * Sends raw bodies to one events route and reports what came back; never throws. Watches undici's
 * `connected` diagnostics channel for the route's origin, so a timeout can be told apart: before
 * any connection the server is unreachable, after one it took the request and did not answer.
 * Call {@link HttpProbe.close} when done.
 */
export class HttpProbe {
  readonly #options: HttpProbeOptions;
  readonly #origin: string;
  #connected = false;
  readonly #onConnected = (message: unknown): void => {
    const params = (message as ConnectedMessage).connectParams;
    if (params !== undefined && `${params.protocol}//${params.host}` === this.#origin) this.#connected = true;
  };

  constructor(options: HttpProbeOptions) {
    // Header names are case-insensitive: one content-type, the kit's, whatever the caller spelled.
    const headers = Object.fromEntries(
      Object.entries(options.headers)
        .map(([name, value]) => [name.toLowerCase(), value] as const)
        .filter(([name]) => name !== 'content-type'),
    );
    this.#options = { ...options, headers };
    const url = new URL(options.url);
    this.#origin = `${url.protocol}//${url.host}`;
    diagnosticsChannel.subscribe(connectedChannel, this.#onConnected);
  }

  /** POSTs one body and resolves to the answer, or to the reason there was none. */
  async post(probe: ProbeRequest): Promise<ProbeAnswer> {
    const { url, dispatcher, timeoutMs, headers } = this.#options;
    const shape = probe.shape === undefined ? {} : { shape: probe.shape };
    try {
      const response = await request(probe.url ?? url, {
        method: 'POST',
        dispatcher,
        // A precise bound on the whole exchange: undici's own timeouts tick at up to a second.
        signal: AbortSignal.timeout(timeoutMs),
        headers: { ...headers, 'content-type': probe.contentType ?? 'application/json' },
        body: probe.body,
      });
      const contentType = response.headers['content-type'];
      return {
        kind: 'answered',
        status: response.statusCode,
        contentType: Array.isArray(contentType) ? contentType.join(', ') : contentType,
        text: await response.body.text(),
        ...shape,
      };
    } catch (error) {
      return { ...classifyTransportError(error, timeoutMs, this.#connected), ...shape };
    }
  }

  /** Stops watching connections. */
  close(): void {
    diagnosticsChannel.unsubscribe(connectedChannel, this.#onConnected);
  }
}
