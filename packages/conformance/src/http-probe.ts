import { HttpEgress } from '@events-protocol/client/egress';
import type { Dispatcher } from 'undici';
import { classifyTransportError, type TransportFailure } from './transport-failure.js';

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
      /** See {@link TransportFailure.kind}. */
      readonly kind: TransportFailure['kind'];
      readonly reason: string;
      /** The HTTP egress's failure code (the probe always sets it). */
      readonly code?: TransportFailure['code'];
      /** Where the request failed: `connect`, `headers` or `body` (the probe always sets it). */
      readonly phase?: TransportFailure['phase'];
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

// Answers of servers under test are small; this only bounds one that streams without end.
const maxAnswerBytes = 16 * 1024 * 1024;

/**
 * Sends raw bodies to one events route through the HTTP egress and reports what came back; never
 * throws. Each request is bounded as a whole by `timeoutMs`; a failure names its phase, so a
 * server never reached (connect) is told apart from one that took the request and did not answer.
 * Call {@link HttpProbe.close} when done.
 */
export class HttpProbe {
  readonly #options: HttpProbeOptions;
  readonly #egress: HttpEgress;

  constructor(options: HttpProbeOptions) {
    // Header names are case-insensitive: one content-type, the kit's, whatever the caller spelled.
    const headers = Object.fromEntries(
      Object.entries(options.headers)
        .map(([name, value]) => [name.toLowerCase(), value] as const)
        .filter(([name]) => name !== 'content-type'),
    );
    this.#options = { ...options, headers };
    this.#egress = new HttpEgress({
      dispatcher: options.dispatcher,
      timeouts: options.timeoutMs,
      maxResponseBytes: maxAnswerBytes,
    });
  }

  /** POSTs one body and resolves to the answer, or to the reason there was none. */
  async post(probe: ProbeRequest): Promise<ProbeAnswer> {
    const { url, timeoutMs, headers } = this.#options;
    const shape = probe.shape === undefined ? {} : { shape: probe.shape };
    try {
      const response = await this.#egress.send({
        url: probe.url ?? url,
        method: 'POST',
        headers: { ...headers, 'content-type': probe.contentType ?? 'application/json' },
        body: probe.body,
        totalMs: timeoutMs,
      });
      const contentType = response.headers['content-type'];
      return {
        kind: 'answered',
        status: response.status,
        contentType: Array.isArray(contentType) ? contentType.join(', ') : contentType,
        text: response.text,
        ...shape,
      };
    } catch (error) {
      return { ...classifyTransportError(error, timeoutMs), ...shape };
    }
  }

  /** Stops sending; the dispatcher, which the caller gave, stays open. */
  close(): void {
    void this.#egress.close();
  }
}
