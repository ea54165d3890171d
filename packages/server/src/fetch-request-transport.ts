import type { TransportHeaders, TransportInfo } from './transport-info.js';
import { WebTransportHeaders } from './web-request-headers.js';

/** Reads the peer's address of a web-standard request from what its host passed with it. */
export type FetchRemoteAddressReader<THost> = (request: Request, host: THost | undefined) => string | undefined;

/**
 * What a web-standard request tells handlers as `context.transport`. Nothing is read until asked:
 * an event whose handler never looks costs one small object.
 */
export class FetchRequestTransport<THost> implements TransportInfo {
  readonly kind = 'http';
  /** The request target: path and query, without origin or fragment. */
  readonly url: string;
  readonly #request: Request;
  readonly #host: THost | undefined;
  readonly #readRemoteAddress: FetchRemoteAddressReader<THost> | undefined;
  #headers: TransportHeaders | undefined;

  constructor(
    request: Request,
    target: string,
    host: THost | undefined,
    readRemoteAddress: FetchRemoteAddressReader<THost> | undefined,
  ) {
    this.#request = request;
    this.url = target;
    this.#host = host;
    this.#readRemoteAddress = readRemoteAddress;
  }

  get method(): string {
    return this.#request.method;
  }

  get headers(): TransportHeaders {
    return (this.#headers ??= new WebTransportHeaders(this.#request.headers));
  }

  /** The peer's address as `getRemoteAddress` tells it from the host; `undefined` without one. */
  get remoteAddress(): string | undefined {
    return this.#readRemoteAddress?.(this.#request, this.#host);
  }
}
