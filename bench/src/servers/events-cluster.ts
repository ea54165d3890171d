/**
 * Ours under node:cluster: the primary forks one worker per CPU given (WORKERS, 2 by default), each
 * running the node:http adapter on the same port; the primary prints `listening <port>` once all
 * of them listen. The server is stateless, so this is how it scales on one machine (and many
 * instances behind a load balancer scale the same way).
 */
import cluster from 'node:cluster';
import { createServer } from 'node:net';
import { createEventServer, EventProcessor, EventRegistry } from '@events-protocol/server';
import { price, priceOrder } from '../fixture.js';

const workers = Number(process.env['WORKERS'] ?? 2);

if (cluster.isPrimary) {
  const port = await new Promise<number>((resolve) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
  let listening = 0;
  for (let index = 0; index < workers; index++) {
    cluster.fork({ PORT: String(port) }).on('listening', () => {
      if (++listening === workers) process.stdout.write(`listening ${port}\n`);
    });
  }
  process.on('SIGTERM', () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill();
    process.exit(0);
  });
} else {
  const registry = new EventRegistry().on(priceOrder, (event) => price(event.payload));
  const server = createEventServer(new EventProcessor(registry));
  server.keepAliveTimeout = 60_000;
  server.listen(Number(process.env['PORT']), '127.0.0.1');
}
