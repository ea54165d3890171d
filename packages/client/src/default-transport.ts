import type { Dispatcher } from 'undici';
import type { EventTransport } from './event-transport.js';
import { HttpTransport } from './http-transport.js';

/** What the client's own HTTP transport is made from. */
export interface DefaultTransportOptions {
  readonly dispatcher?: Dispatcher | undefined;
  readonly connections?: number | undefined;
  readonly connectMs: number;
  readonly responseMs: number;
}

/** The transport a client given a `url` uses: the right one for the runtime it runs on. */
export function defaultHttpTransport(url: string, options: DefaultTransportOptions): EventTransport {
  return new HttpTransport(url, options);
}
