// Run by test/server/fetch-handler.test.ts as `deno run --sloppy-imports --conditions=@events-protocol/source deno-server.ts`.
import { exampleFetchHandler, listeningLine } from './fetch-service.js';

/** The part of Deno's API this server uses (Deno's types are not a dependency of the tests). */
interface DenoServeInfo {
  readonly remoteAddr: { readonly hostname: string };
}
declare const Deno: {
  args: string[];
  serve(
    options: { hostname: string; port: number; onListen: (address: { port: number }) => void },
    handler: (request: Request, info: DenoServeInfo) => Promise<Response>,
  ): unknown;
};

const handler = exampleFetchHandler<DenoServeInfo>(Deno.args, (_request, info) => info?.remoteAddr.hostname);
Deno.serve({ hostname: '127.0.0.1', port: 0, onListen: ({ port }) => console.log(listeningLine(port)) }, handler);
