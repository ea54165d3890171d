// Run by test/server/fetch-handler.test.ts as `bun --conditions=@events-protocol/source bun-server.ts`.
import { exampleFetchHandler, listeningLine } from './fetch-service.js';

/** The part of Bun's API this server uses (bun-types is not a dependency of the tests). */
interface BunServer {
  readonly port: number;
  requestIP(request: Request): { address: string } | null;
}
declare const Bun: {
  argv: string[];
  serve(options: {
    hostname: string;
    port: number;
    fetch: (request: Request, server: BunServer) => Promise<Response>;
  }): BunServer;
};

const handler = exampleFetchHandler<BunServer>(Bun.argv, (request, server) => server?.requestIP(request)?.address);
const server = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: handler });
console.log(listeningLine(server.port));
