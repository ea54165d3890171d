import { HttpTransport } from './http-transport.js';
import type { UndiciTransportFactory } from './undici-transport-factory.js';

/** The undici transport: this build runs on Node or Deno, which run the real undici. */
export const undiciTransport: UndiciTransportFactory = (url, options) => new HttpTransport(url, options);
