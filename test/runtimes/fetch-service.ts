import {
  toFetchHandler,
  type EventProcessor,
  type FetchHandler,
  type FetchHandlerOptions,
} from '@events-protocol/server';
import { exampleProcessor } from '../support/example-service.js';

/** What the runtime servers are started with, on the command line: `--hang-timeout-ms=<ms>`. */
function hangTimeoutMs(args: readonly string[]): number {
  const flag = args.find((arg) => arg.startsWith('--hang-timeout-ms='));
  return flag === undefined ? 200 : Number(flag.slice('--hang-timeout-ms='.length));
}

/**
 * The example service every adapter's contract suite talks to, plus `transport:describe`, which
 * answers what its handler saw of the request it came in.
 */
export function exampleFetchProcessor(hangTimeoutMs: number): EventProcessor {
  const processor = exampleProcessor({ hangTimeoutMs });
  processor.registry.register({
    name: 'transport:describe',
    handler: (_event, context) => {
      const { kind, method, url, remoteAddress, headers } = context.transport;
      return { kind, method, url, remoteAddress: remoteAddress ?? null, probe: headers.get('X-Probe') ?? null };
    },
  });
  return processor;
}

/** {@link exampleFetchProcessor} behind the fetch handler with discovery on, set up from the command line. */
export function exampleFetchHandler<THost>(
  args: readonly string[],
  getRemoteAddress: FetchHandlerOptions<THost>['getRemoteAddress'],
): FetchHandler<THost> {
  return toFetchHandler<THost>(exampleFetchProcessor(hangTimeoutMs(args)), {
    discovery: true,
    ...(getRemoteAddress === undefined ? {} : { getRemoteAddress }),
  });
}

/** The line a runtime server prints once it listens, which the test waits for. */
export function listeningLine(port: number): string {
  return JSON.stringify({ listening: port });
}
