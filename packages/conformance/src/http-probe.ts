import { request, type Dispatcher } from 'undici';

/** One raw POST the kit sends: any bytes, malformed on purpose where a check needs it. */
export interface ProbeRequest {
  /** The body, sent as is. */
  readonly body: string | Uint8Array;
  /** `application/json` unless given; the protocol's clients always send a JSON content type. */
  readonly contentType?: string;
  /** Another URL than the events route under test (the trailing-slash check). */
  readonly url?: string;
}

/** What came back for a {@link ProbeRequest}: an HTTP answer, or why there was none. */
export type ProbeAnswer =
  | {
      readonly kind: 'answered';
      readonly status: number;
      readonly contentType: string | undefined;
      /** The body decoded as UTF-8, as the protocol requires. */
      readonly text: string;
    }
  | { readonly kind: 'no-answer'; readonly reason: string };

/** How a probe reaches the server. */
export interface HttpProbeOptions {
  readonly url: string;
  readonly dispatcher: Dispatcher;
  /** Bounds each whole request, from connecting to the end of the answer's body. */
  readonly timeoutMs: number;
  /** Sent on every request (a gateway's API key, say); `content-type` is the kit's own. */
  readonly headers: Readonly<Record<string, string>>;
}

/** Sends raw bodies to one events route and reports what came back; never throws. */
export class HttpProbe {
  readonly #options: HttpProbeOptions;

  constructor(options: HttpProbeOptions) {
    // Header names are case-insensitive: one content-type, the kit's, whatever the caller spelled.
    const headers = Object.fromEntries(
      Object.entries(options.headers)
        .map(([name, value]) => [name.toLowerCase(), value] as const)
        .filter(([name]) => name !== 'content-type'),
    );
    this.#options = { ...options, headers };
  }

  /** POSTs one body and resolves to the answer, or to the reason there was none. */
  async post(probe: ProbeRequest): Promise<ProbeAnswer> {
    const { url, dispatcher, timeoutMs, headers } = this.#options;
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
      };
    } catch (error) {
      return { kind: 'no-answer', reason: describeTransportError(error, timeoutMs) };
    }
  }
}

const timeoutCodes: ReadonlySet<string> = new Set([
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** A one-line reason for a request that got no HTTP answer: refused, unresolvable, timed out. */
export function describeTransportError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && error.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
  const code = errorCode(error) ?? errorCode(error instanceof Error ? error.cause : undefined);
  if (code !== undefined && timeoutCodes.has(code)) return `no answer within ${timeoutMs} ms (${code})`;
  const message = error instanceof Error ? error.message : String(error);
  return code === undefined || message.includes(code) ? message : `${code}: ${message}`;
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as Record<string, unknown>)['code'];
  return typeof code === 'string' ? code : undefined;
}
