// A fetch-style worker, `export default { fetch }`, as `deno serve` and `bun` run one; started by
// test/server/fetch-handler.test.ts.
import { toFetchHandler } from '@events-protocol/server';
import { exampleFetchProcessor } from './fetch-service.js';

export default { fetch: toFetchHandler(exampleFetchProcessor(150), { discovery: true }) };
