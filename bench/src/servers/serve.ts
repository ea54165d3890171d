import type { Server } from 'node:http';

/** Listens on the port given as first argument and tells the parent, which waits for this line. */
export function serve(server: Server): void {
  const port = Number(process.argv[2] ?? 0);
  server.keepAliveTimeout = 60_000;
  server.listen(port, '127.0.0.1', () => {
    const address = server.address();
    if (address !== null && typeof address === 'object') process.stdout.write(`listening ${address.port}\n`);
  });
}
