/**
 * What the transport knows of the request an event came in: read by handlers and middleware
 * through `context.transport`, never copied into the event. Each adapter fills it in: the node and
 * Express adapters, the fetch handler, the Fastify plugin, NATS request-reply and stream
 * consumers.
 */
export interface TransportInfo {
  /** How the event arrived: `http`, `in-process`, `nats`, `stream`, or an adapter's own word. */
  readonly kind: 'http' | 'in-process' | 'nats' | 'stream' | (string & {});
  /**
   * The request's headers (HTTP headers, NATS message headers, stream fields), looked up by
   * name case-insensitively; `undefined` when absent. Several values of one header are joined
   * with `, `.
   */
  readonly headers: TransportHeaders;
  /** The peer's address (`203.0.113.7`, `::1`), when the transport knows it. */
  readonly remoteAddress?: string | undefined;
  /** HTTP: the request method and target (path and query, as sent), when there was one. */
  readonly method?: string | undefined;
  readonly url?: string | undefined;
  /** NATS: the subject the event arrived on; streams: the stream or topic name. */
  readonly subject?: string | undefined;
}

/** Headers as a transport carries them: read-only, looked up by name in any case. */
export interface TransportHeaders {
  get(name: string): string | undefined;
  /** Every header as `[lowercase name, value]`. */
  entries(): IterableIterator<[string, string]>;
}

const noHeaders: TransportHeaders = Object.freeze({
  get: () => undefined,
  *entries(): IterableIterator<[string, string]> {},
});

/** The transport of an event processed with no transport said: `processEvent` called in code. */
export const inProcessTransport: TransportInfo = Object.freeze({ kind: 'in-process', headers: noHeaders });

/**
 * Headers from a plain record, as node:http gives them (names lowercase, values a string or a
 * list of strings). The record is read, never copied, until a handler asks.
 */
export function headersFromRecord(
  record: Readonly<Record<string, string | readonly string[] | undefined>>,
): TransportHeaders {
  const valueOf = (raw: string | readonly string[] | undefined): string | undefined =>
    raw === undefined ? undefined : typeof raw === 'string' ? raw : raw.join(', ');
  return {
    get: (name) => (Object.hasOwn(record, name.toLowerCase()) ? valueOf(record[name.toLowerCase()]) : undefined),
    *entries(): IterableIterator<[string, string]> {
      for (const [name, raw] of Object.entries(record)) {
        const value = valueOf(raw);
        if (value !== undefined) yield [name.toLowerCase(), value];
      }
    },
  };
}
