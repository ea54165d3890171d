import type { IncomingMessage } from 'node:http';
import { headersFromRecord, type TransportHeaders, type TransportInfo } from './transport-info.js';

/**
 * Reads the client's address from a request, for frameworks that know it better than the socket
 * does (Express's `req.ip`, which honours its `trust proxy` setting).
 */
export type RemoteAddressReader = (request: IncomingMessage) => string | undefined;

/**
 * What a node:http request tells handlers as `context.transport`. Nothing is read until asked:
 * an event whose handler never looks costs one small object.
 */
export class NodeRequestTransport implements TransportInfo {
  readonly kind = 'http';
  readonly #request: IncomingMessage;
  readonly #readRemoteAddress: RemoteAddressReader | undefined;
  #headers: TransportHeaders | undefined;

  /**
   * @param readRemoteAddress where the client's address comes from; the socket's peer address
   * by default.
   */
  constructor(request: IncomingMessage, readRemoteAddress?: RemoteAddressReader) {
    this.#request = request;
    this.#readRemoteAddress = readRemoteAddress;
  }

  get headers(): TransportHeaders {
    return (this.#headers ??= headersFromRecord(this.#request.headers));
  }

  /** The client's address; `undefined` once the connection is gone, if not read before. */
  get remoteAddress(): string | undefined {
    const read = this.#readRemoteAddress;
    return read === undefined ? this.#request.socket.remoteAddress : read(this.#request);
  }

  get method(): string | undefined {
    return this.#request.method;
  }

  get url(): string | undefined {
    return this.#request.url;
  }
}
