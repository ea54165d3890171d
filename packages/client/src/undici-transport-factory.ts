import type { EventTransport } from './event-transport.js';
import type { HttpTransportOptions } from './http-transport.js';

/**
 * Makes the undici transport, in builds that carry it: what `#undici-transport` exports, a
 * function on Node and `undefined` in the fetch-only build (Bun, Deno, browsers, workers).
 */
export type UndiciTransportFactory = ((url: string, options: HttpTransportOptions) => EventTransport) | undefined;
