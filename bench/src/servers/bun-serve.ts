/**
 * `Bun.serve` for the scripts the bun binary runs, typed here with the little they use (the
 * repository does not depend on Bun's type declarations). Listens on the port given as first
 * argument and prints `listening <port>`, like {@link serve} does for Node.
 */

interface BunServer {
  readonly port: number;
}

declare const Bun: {
  serve(options: {
    port: number;
    hostname: string;
    fetch: (request: Request) => Response | Promise<Response>;
  }): BunServer;
};

/** Serves `fetch` with Bun on 127.0.0.1 and tells the parent the port. */
export function serveWithBun(fetch: (request: Request) => Response | Promise<Response>): void {
  const server = Bun.serve({ port: Number(process.argv[2] ?? 0), hostname: '127.0.0.1', fetch });
  process.stdout.write(`listening ${server.port}\n`);
}
