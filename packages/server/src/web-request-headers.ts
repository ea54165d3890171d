import type { TraceCarrier } from './trace-carrier.js';
import type { TransportHeaders } from './transport-info.js';

/**
 * A web-standard `Headers` as `context.transport.headers`: looked up by name in any case, several
 * values joined with `, ` (as `Headers` joins them). Reads the request's headers, never copies them.
 */
export class WebTransportHeaders implements TransportHeaders {
  readonly #headers: Headers;

  constructor(headers: Headers) {
    this.#headers = headers;
  }

  /** The header's value, `undefined` when absent. */
  get(name: string): string | undefined {
    return this.#headers.get(name) ?? undefined;
  }

  /** Every header as `[lowercase name, value]`, in the order `Headers` keeps (sorted by name). */
  *entries(): IterableIterator<[string, string]> {
    for (const [name, value] of this.#headers) yield [name, value];
  }
}

// The tracer reads a carrier as a record (`Object.keys`, `carrier[name]`): this view answers those
// from the Headers when asked, so a request the tracer never looks at costs one proxy.
const headersAsRecord: ProxyHandler<Headers> = {
  get: (headers, name) => (typeof name === 'string' ? (headers.get(name) ?? undefined) : undefined),
  has: (headers, name) => typeof name === 'string' && headers.has(name),
  ownKeys: (headers) => [...headers.keys()],
  getOwnPropertyDescriptor: (headers, name) => {
    const value = typeof name === 'string' ? headers.get(name) : null;
    return value === null ? undefined : { value, enumerable: true, configurable: true, writable: false };
  },
};

/**
 * A request's `Headers` as the trace carrier the processor reads `traceparent` and `tracestate`
 * (or any other propagator's headers) from, like node:http's header record.
 */
export function traceCarrierFromHeaders(headers: Headers): TraceCarrier {
  return new Proxy(headers, headersAsRecord) as unknown as TraceCarrier;
}
