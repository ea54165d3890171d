import type { Server } from 'node:http';

/**
 * Listens on the port given as first argument and tells the parent, which waits for this line.
 * Started with `--expose-gc`, the process answers SIGUSR2 with `heap <bytes>`: the heap in use
 * after a full collection, which is what a leak check compares (RSS moves with the allocator).
 */
export function serve(server: Server): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (collect !== undefined) {
    process.on('SIGUSR2', () => {
      collect();
      collect();
      process.stdout.write(`heap ${process.memoryUsage().heapUsed}\n`);
    });
  }
  const port = Number(process.argv[2] ?? 0);
  server.keepAliveTimeout = 60_000;
  server.listen(port, '127.0.0.1', () => {
    const address = server.address();
    if (address !== null && typeof address === 'object') process.stdout.write(`listening ${address.port}\n`);
  });
}
