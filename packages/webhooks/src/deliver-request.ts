import type { Dispatcher } from 'undici';

/** What one HTTP attempt gave. */
export interface AttemptResponse {
  /** A 2xx status arrived. */
  readonly ok: boolean;
  readonly status?: number;
  /** The start of the response body (at most 2 KiB). */
  readonly responseExcerpt?: string;
  /** Why no response arrived: a timeout, a refused or reset connection, a blocked target. */
  readonly error?: string;
  readonly durationMs: number;
}

const maxExcerpt = 2048;

/** How long an attempt may take: to connect, then to get the whole response once connected. */
export interface DeliveryTimeouts {
  readonly connectMs: number;
  readonly responseMs: number;
}

/**
 * Makes one delivery attempt: POSTs the body with its headers and reads at most a bounded excerpt
 * of the answer. Never throws: what went wrong is in the result. The connect timeout is the
 * dispatcher's (set where it is made); one timer of connect + response bounds the whole exchange.
 */
export async function sendDelivery(
  dispatcher: Dispatcher,
  url: URL,
  body: string,
  headers: Record<string, string>,
  timeouts: DeliveryTimeouts,
): Promise<AttemptResponse> {
  const started = performance.now();
  const controller = new AbortController();
  const timeoutMs = timeouts.connectMs + timeouts.responseMs;
  const timer = setTimeout(() => controller.abort(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  try {
    const response = await dispatcher.request({
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method: 'POST',
      headers,
      body,
      signal: controller.signal,
      headersTimeout: timeouts.responseMs,
      bodyTimeout: timeouts.responseMs,
    });
    let excerpt = '';
    for await (const chunk of response.body as AsyncIterable<Buffer>) {
      if (excerpt.length < maxExcerpt) excerpt += chunk.toString('utf8');
      if (excerpt.length >= maxExcerpt) {
        response.body.destroy();
        break;
      }
    }
    return {
      ok: response.statusCode >= 200 && response.statusCode <= 299,
      status: response.statusCode,
      responseExcerpt: excerpt.slice(0, maxExcerpt),
      durationMs: performance.now() - started,
    };
  } catch (error) {
    const reason = controller.signal.aborted ? `timeout: no answer within ${timeoutMs} ms` : describe(error, timeouts);
    return { ok: false, error: reason, durationMs: performance.now() - started };
  } finally {
    clearTimeout(timer);
  }
}

function describe(error: unknown, timeouts: DeliveryTimeouts): string {
  const code = (error as { code?: unknown } | null)?.code;
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  const message = error instanceof Error ? error.message : String(error);
  const detail = typeof cause?.code === 'string' ? cause.code : typeof code === 'string' ? code : undefined;
  if (detail === 'UND_ERR_CONNECT_TIMEOUT') return `timeout: not connected within ${timeouts.connectMs} ms`;
  if (detail === 'UND_ERR_HEADERS_TIMEOUT' || detail === 'UND_ERR_BODY_TIMEOUT') {
    return `timeout: no response within ${timeouts.responseMs} ms`;
  }
  return detail === undefined ? message : `${detail}: ${message}`;
}
