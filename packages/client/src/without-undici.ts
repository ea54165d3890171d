import type { UndiciTransportFactory } from './undici-transport-factory.js';

/** No undici transport: this build is for runtimes that call with `fetch` (Bun, browsers, workers). */
export const undiciTransport: UndiciTransportFactory = undefined;
