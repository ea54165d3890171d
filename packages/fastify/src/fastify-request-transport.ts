import { headersFromRecord, type TransportHeaders, type TransportInfo } from '@events-protocol/server';
import type { FastifyRequest } from 'fastify';

/**
 * What a Fastify request tells handlers through `context.transport`: its headers, the client's
 * address as Fastify sees it (`request.ip`, so `trustProxy` applies), method and target. The
 * headers are wrapped on first use only, and stay out of the object's JSON, so logging the
 * transport never writes an `authorization` header.
 */
export class FastifyRequestTransport implements TransportInfo {
  readonly kind = 'http';
  readonly remoteAddress: string;
  readonly method: string;
  readonly url: string;
  readonly #request: FastifyRequest;
  #headers: TransportHeaders | undefined;

  constructor(request: FastifyRequest) {
    this.#request = request;
    this.remoteAddress = request.ip;
    this.method = request.method;
    this.url = request.url;
  }

  /** The request's headers, looked up by name in any case. */
  get headers(): TransportHeaders {
    this.#headers ??= headersFromRecord(this.#request.headers);
    return this.#headers;
  }
}
